#!/usr/bin/env bash
# systemd-analyze (Debian: systemd): verifies deploy/systemd's units. Used by
# Tests/IntegrationTests/Deploy/SystemdUnitTests.swift. Only the tool is needed, not a running systemd.
set -uo pipefail
command -v systemd-analyze >/dev/null 2>&1 && exit 0
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -qq && apt-get install -y -qq --no-install-recommends systemd >/dev/null; } \
    || echo "31-systemd-analyze.sh: could not install systemd; the systemd unit tests will say so" >&2
exit 0
