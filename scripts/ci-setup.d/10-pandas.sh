#!/bin/sh
# pandas >= 3.1 for SeedCompatibilityTests, which run the seed's own report code (scripts/seed_report_from_json.py)
# and compare its figures with ours. BaselineReport follows pandas 3.1's arithmetic (see PandasArithmetic.swift);
# pandas 3.0 and older sum some groupings differently in the last bit.
set -e
has_pandas() {
    python3 -c 'import sys, pandas; sys.exit(0 if tuple(int(p) for p in pandas.__version__.split(".")[:2]) >= (3, 1) else 1)' \
        2>/dev/null
}
has_pandas && exit 0
if ! python3 -m pip --version >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq python3-pip >/dev/null
fi
# Debian's system Python refuses pip installs (PEP 668) unless told otherwise.
python3 -m pip install --quiet --disable-pip-version-check 'pandas>=3.1' 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages 'pandas>=3.1'
has_pandas || { echo "10-pandas.sh: python3 still lacks pandas >= 3.1" >&2; exit 1; }
