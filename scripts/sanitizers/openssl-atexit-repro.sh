#!/usr/bin/env bash
# Reproduces the libcrypto leak of the ASan runs with a small C program (openssl-atexit-repro.c) and shows that
# initializing OpenSSL with OPENSSL_INIT_NO_ATEXIT first (what Sources/COpenSSLLifetime does) ends it.
#   scripts/sanitizers/openssl-atexit-repro.sh
#   -> "default: Direct leak of 984 byte(s) in 3 object(s) ..." and "OPENSSL_INIT_NO_ATEXIT first: no leak"
set -eu
# The reports go to stderr, read here: not to a nightly run's log_path, nor through its suppressions.
unset ASAN_OPTIONS LSAN_OPTIONS
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
clang -fsanitize=address -g "$(dirname "$0")/openssl-atexit-repro.c" -o "$dir/repro" -lcrypto -lpthread 2>/dev/null
summary() { grep -E '^(Direct leak|SUMMARY)' || echo "no leak"; }
echo "default: $("$dir/repro" 2>&1 | summary | paste -sd ' ')"
echo "OPENSSL_INIT_NO_ATEXIT first: $("$dir/repro" noatexit 2>&1 | summary | paste -sd ' ')"
