#!/usr/bin/env bash
# Headless Chromium for the HTML report's browser test (Tests/IntegrationTests/HTMLReportBrowserTests.swift):
# Debian's `chromium` package. Quick when it is already installed; `apt-get update` only when it is missing and
# the package lists do not know it.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show chromium >/dev/null 2>&1; then
    apt-get update -qq
fi
apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null
