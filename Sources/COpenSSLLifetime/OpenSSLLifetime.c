// OpenSSL's process-wide state, kept until the process ends.
//
// At its first use OpenSSL registers `OPENSSL_cleanup` with `atexit` unless its first initialization passes
// `OPENSSL_INIT_NO_ATEXIT`. That cleanup frees the default library context, the providers and the random generators
// and deletes the thread-local keys, while other threads may still be inside OpenSSL: an event loop thread closing
// a TLS connection as `main` returns. Such a call then crashes (a random-number call after the cleanup segfaults
// on OpenSSL 3.0), and a thread that ends after it loses its per-thread state (error queue and two random
// generators), which LeakSanitizer reports as 984 bytes in 3 objects per thread from `CRYPTO_zalloc`.
//
// The only way to decide this is to be OpenSSL's first caller, so it is done here, before `main`, in a constructor
// of a C target every binary with BenchTLS links: libcurl (FoundationNetworking) or any other library that calls
// OpenSSL first would otherwise decide it. The memory is then the operating system's to take back at exit, as for
// any process-wide state. `docs/reliability.md` has the ASan reports this ended and the test that proves it
// (`OpenSSLExitTests`, which runs Tests/OpenSSLExitProbe).
#include "COpenSSLLifetime.h"

#include <openssl/crypto.h>

static int kept_until_exit = 0;

__attribute__((constructor)) static void COpenSSLLifetime_initialize(void) {
    kept_until_exit = OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL) == 1;
}

int COpenSSLLifetime_keptUntilExit(void) {
    return kept_until_exit;
}
