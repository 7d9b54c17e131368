#!/usr/bin/env bash
# Proves that ThreadSanitizer reports accesses guarded by Synchronization.Mutex as races on Linux (a false positive:
# TSan cannot see the futex-based lock), while the same program with NSLock reports none.
#   scripts/sanitizers/tsan-mutex-repro.sh [RUNS]   -> "Mutex: N/RUNS runs reported a race; NSLock: M/RUNS"
set -eu
runs="${1:-10}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
swiftc -sanitize=thread -g "$(dirname "$0")/tsan-mutex-repro.swift" -o "$dir/repro"
mutex=0; nslock=0
for _ in $(seq "$runs"); do
    # TSan exits 66 after a report: the output is what counts.
    if "$dir/repro" 2>&1 | grep -q 'WARNING: ThreadSanitizer'; then mutex=$((mutex + 1)); fi
    if "$dir/repro" nslock 2>&1 | grep -q 'WARNING: ThreadSanitizer'; then nslock=$((nslock + 1)); fi
done
echo "Mutex: $mutex/$runs runs reported a race; NSLock: $nslock/$runs"
