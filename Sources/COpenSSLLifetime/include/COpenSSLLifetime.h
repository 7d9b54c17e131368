#ifndef COPENSSL_LIFETIME_H
#define COPENSSL_LIFETIME_H

/// 1 when the load-time constructor in OpenSSLLifetime.c initialized OpenSSL without its exit-time cleanup
/// (`OPENSSL_INIT_NO_ATEXIT`), 0 when that initialization failed. Read through BenchTLS's `OpenSSLLifetime`.
int COpenSSLLifetime_keptUntilExit(void);

#endif
