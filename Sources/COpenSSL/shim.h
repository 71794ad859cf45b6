#ifndef QFECR_COPENSSL_SHIM_H
#define QFECR_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/rsa.h>
#include <openssl/ec.h>
#include <openssl/bn.h>

// Function-like macros are invisible to Swift; these give them a callable form.
static inline long qfecr_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
static inline int qfecr_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}
static inline void qfecr_OPENSSL_free(void *p) { OPENSSL_free(p); }

// TLS layer (ECRTransport/TLS*.swift, Certificate*.swift).
static inline long qfecr_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}
static inline int qfecr_SSL_CTX_add1_chain_cert(SSL_CTX *ctx, X509 *cert) {
    return (int)SSL_CTX_add1_chain_cert(ctx, cert);
}
static inline int qfecr_SSL_set_app_data(SSL *ssl, void *data) { return SSL_set_app_data(ssl, data); }
static inline void *qfecr_SSL_get_app_data(const SSL *ssl) { return SSL_get_app_data(ssl); }
static inline long qfecr_BIO_set_fd(BIO *bio, int fd, int closeFlag) { return BIO_set_fd(bio, fd, closeFlag); }
static inline int qfecr_BIO_get_fd(BIO *bio) { return (int)BIO_get_fd(bio, NULL); }
static inline void qfecr_BIO_set_retry_write(BIO *bio) { BIO_set_retry_write(bio); }
static inline void qfecr_BIO_clear_retry_flags(BIO *bio) { BIO_clear_retry_flags(bio); }
static inline long qfecr_BIO_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
static inline int qfecr_ERR_GET_REASON(unsigned long code) { return ERR_GET_REASON(code); }
static inline int qfecr_sk_X509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
static inline X509 *qfecr_sk_X509_value(const STACK_OF(X509) *stack, int i) { return sk_X509_value(stack, i); }
static inline int qfecr_sk_GENERAL_NAME_num(const GENERAL_NAMES *names) { return sk_GENERAL_NAME_num(names); }
static inline GENERAL_NAME *qfecr_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int i) {
    return sk_GENERAL_NAME_value(names, i);
}
#endif
