#!/usr/bin/env bash
# Runs the tls fuzz target for SECONDS (default 60; 0 = until stopped): Fuzz/run-tls-fuzzer.sh [SECONDS] [libFuzzer flags...]
# See Fuzz/run-fuzzer.sh and Fuzz/README.md.
exec "$(dirname "$0")/run-fuzzer.sh" tls "$@"
