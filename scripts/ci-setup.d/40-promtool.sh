#!/usr/bin/env bash
# promtool (Debian's `prometheus` package) for `promtool check metrics` on the coordinator's and the agent's
# /metrics (Tests/IntegrationTests/StatusEndpointTests.swift, AgentMetricsEndpointTests.swift). Debian ships promtool
# only inside `prometheus`; --no-install-recommends keeps it to that package. The service the package installs is
# not needed: it is stopped and disabled when it was started by this install. Quick when promtool is there.
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show prometheus >/dev/null 2>&1; then
    apt-get update -qq
fi
# policy-rc.d 101: the package's postinst does not start the Prometheus server (no init system needed, no port 9090).
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1
fi
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi
command -v promtool >/dev/null
