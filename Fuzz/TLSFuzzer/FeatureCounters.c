// Extra coverage features for the tls fuzz target (Fuzz/run-fuzzer.sh compiles this with clang and links it).
//
// System OpenSSL is not instrumented, so libFuzzer sees no coverage from its parsers: an input that gets deeper into
// a ClientHello looks like any other. The harness marks what OpenSSL answered (the error reasons of the TLSError,
// the record and alert types it wrote) in these counters; libFuzzer treats every array of the
// __libfuzzer_extra_counters section as coverage (and clears it before each input), so an input that makes OpenSSL
// answer differently is kept.

#define MMMBENCH_TLS_FUZZ_FEATURES 4096

__attribute__((section("__libfuzzer_extra_counters"), used))
static unsigned char mmmbench_tls_fuzz_features[MMMBENCH_TLS_FUZZ_FEATURES];

void mmmbench_tls_fuzz_mark(unsigned long feature) {
    unsigned char *counter = &mmmbench_tls_fuzz_features[feature % MMMBENCH_TLS_FUZZ_FEATURES];
    if (*counter < 255) {
        *counter += 1;
    }
}
