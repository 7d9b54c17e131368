// The libcrypto leak of the ASan runs, reproduced without mmmbench: a thread that used OpenSSL (random bytes, an
// error with text) ends after OpenSSL's own atexit cleanup ran. The cleanup deleted the thread-local keys, so the
// thread's exit handler never frees its state: LeakSanitizer reports 984 bytes in 3 objects from CRYPTO_zalloc (the
// error queue, 904 B, and the public and private random generators, 40 B each, with their internals and the
// error texts under them). Given "noatexit" the program first initializes OpenSSL with OPENSSL_INIT_NO_ATEXIT, as
// Sources/COpenSSLLifetime does for mmmbench, and nothing leaks. See openssl-atexit-repro.sh.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_t worker;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int worked = 0, may_end = 0;

static void *work(void *unused) {
    (void)unused;
    unsigned char bytes[32];
    RAND_bytes(bytes, sizeof bytes);
    RAND_priv_bytes(bytes, sizeof bytes);
    ERR_raise_data(ERR_LIB_SSL, 1, "first %d", 1);
    ERR_raise_data(ERR_LIB_SSL, 1, "second %d", 2);
    pthread_mutex_lock(&lock);
    worked = 1;
    pthread_cond_broadcast(&changed);
    while (!may_end) pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
    return NULL;
}

// Registered before OpenSSL's first use, so it runs after OpenSSL's own exit handler (handlers run in reverse).
static void end_worker(void) {
    pthread_mutex_lock(&lock);
    may_end = 1;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    pthread_join(worker, NULL);
}

int main(int argc, char **argv) {
    atexit(end_worker);
    if (argc > 1 && strcmp(argv[1], "noatexit") == 0) OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
    pthread_create(&worker, NULL, work, NULL);
    // Returning while the worker is still inside OpenSSL is the other failure: OpenSSL's cleanup then frees what
    // that call uses, and it crashes (a SEGV in EVP_RAND_CTX_new in about half the runs). Wait for it, to show the leak.
    pthread_mutex_lock(&lock);
    while (!worked) pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
    return 0;
}
