#!/usr/bin/env bash
# Runs the wire fuzz target for SECONDS (default 60; 0 = until stopped): Fuzz/run-wire-fuzzer.sh [SECONDS] [libFuzzer flags...]
# See Fuzz/run-fuzzer.sh and Fuzz/README.md.
exec "$(dirname "$0")/run-fuzzer.sh" wire "$@"
