#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H

// The OpenSSL 3 headers BenchTLS uses, plus `static inline` wrappers for the parts OpenSSL exposes only
// as function-like macros or as `SSL_OP_BIT(n)` expressions, which Swift cannot import.
// Every wrapper is prefixed `COpenSSL_` and does nothing but forward to the macro it names.

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/evp.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/bn.h>
#include <openssl/asn1.h>
#include <openssl/opensslv.h>

// MARK: - SSL_CTX configuration

static inline int COpenSSL_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int COpenSSL_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

static inline long COpenSSL_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

static inline int COpenSSL_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list) {
    return (int)SSL_CTX_set1_groups_list(ctx, list);
}

static inline long COpenSSL_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}

// MARK: - Constants that are macros over expressions

static inline int COpenSSL_TLS1_2_VERSION(void) { return TLS1_2_VERSION; }
static inline int COpenSSL_TLS1_3_VERSION(void) { return TLS1_3_VERSION; }

static inline long COpenSSL_SSL_MODE_RELEASE_BUFFERS(void) { return SSL_MODE_RELEASE_BUFFERS; }
static inline long COpenSSL_SSL_SESS_CACHE_OFF(void) { return SSL_SESS_CACHE_OFF; }

static inline uint64_t COpenSSL_SSL_OP_ALL(void) { return (uint64_t)SSL_OP_ALL; }
static inline uint64_t COpenSSL_SSL_OP_NO_RENEGOTIATION(void) { return (uint64_t)SSL_OP_NO_RENEGOTIATION; }
static inline uint64_t COpenSSL_SSL_OP_NO_COMPRESSION(void) { return (uint64_t)SSL_OP_NO_COMPRESSION; }
static inline uint64_t COpenSSL_SSL_OP_NO_TICKET(void) { return (uint64_t)SSL_OP_NO_TICKET; }
static inline uint64_t COpenSSL_SSL_OP_CIPHER_SERVER_PREFERENCE(void) {
    return (uint64_t)SSL_OP_CIPHER_SERVER_PREFERENCE;
}

static inline int COpenSSL_SSL_VERIFY_PEER(void) { return SSL_VERIFY_PEER; }
static inline int COpenSSL_SSL_VERIFY_FAIL_IF_NO_PEER_CERT(void) { return SSL_VERIFY_FAIL_IF_NO_PEER_CERT; }

static inline unsigned long COpenSSL_OPENSSL_VERSION_NUMBER(void) { return OPENSSL_VERSION_NUMBER; }

// MARK: - SSL (per connection)

static inline int COpenSSL_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

// MARK: - Memory BIOs

static inline int COpenSSL_BIO_set_mem_eof_return(BIO *bio, int value) {
    return (int)BIO_set_mem_eof_return(bio, value);
}

static inline size_t COpenSSL_BIO_pending(BIO *bio) {
    long pending = BIO_pending(bio);
    return pending > 0 ? (size_t)pending : 0;
}

static inline long COpenSSL_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

// MARK: - Stacks

static inline int COpenSSL_sk_GENERAL_NAME_num(const STACK_OF(GENERAL_NAME) *names) {
    return sk_GENERAL_NAME_num(names);
}

static inline GENERAL_NAME *COpenSSL_sk_GENERAL_NAME_value(const STACK_OF(GENERAL_NAME) *names, int index) {
    return sk_GENERAL_NAME_value(names, index);
}

static inline void COpenSSL_GENERAL_NAMES_free(STACK_OF(GENERAL_NAME) *names) {
    GENERAL_NAMES_free(names);
}

static inline int COpenSSL_sk_X509_num(const STACK_OF(X509) *certificates) {
    return sk_X509_num(certificates);
}

// MARK: - GENERAL_NAME accessors (the union does not import usefully)

static inline int COpenSSL_GENERAL_NAME_type(const GENERAL_NAME *name) { return name->type; }

/// The IA5String of a dNSName entry, or NULL for other types.
static inline const ASN1_IA5STRING *COpenSSL_GENERAL_NAME_dns(const GENERAL_NAME *name) {
    return name->type == GEN_DNS ? name->d.dNSName : NULL;
}

/// The OCTET STRING of an iPAddress entry (4 or 16 bytes), or NULL for other types.
static inline const ASN1_OCTET_STRING *COpenSSL_GENERAL_NAME_ip(const GENERAL_NAME *name) {
    return name->type == GEN_IPADD ? name->d.iPAddress : NULL;
}

static inline int COpenSSL_GEN_DNS(void) { return GEN_DNS; }
static inline int COpenSSL_GEN_IPADD(void) { return GEN_IPADD; }

#endif
