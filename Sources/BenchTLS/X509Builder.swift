import COpenSSL
import Foundation

/// Builds P-256 keys and X.509 v3 certificates with OpenSSL's X509 API, and moves them to and from PEM.
///
/// Every function returns owned OpenSSL pointers (`EVP_PKEY*`, `X509*`) that the caller frees
/// (`EVP_PKEY_free`, `X509_free`); on failure nothing is leaked and a ``TLSError`` carries the error queue.
enum X509Builder {
    /// One certificate extension in OpenSSL's config syntax, e.g. `(NID_key_usage, "critical,digitalSignature")`.
    struct Extension {
        let nid: Int32
        let value: String
    }

    /// Generates a P-256 (prime256v1) key pair.
    static func generateP256Key(operation: String) throws(TLSError) -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw failure(operation, "EVP_PKEY_CTX_new_from_name(EC) failed")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_group_name(context, "P-256") == 1 else {
            throw failure(operation, "could not set up P-256 key generation")
        }
        var key: OpaquePointer?
        guard EVP_PKEY_generate(context, &key) == 1, let key else {
            throw failure(operation, "P-256 key generation failed")
        }
        return key
    }

    /// Creates and signs a certificate.
    /// - Parameters:
    ///   - commonName: the subject CN.
    ///   - publicKey: the subject's key (for a self-signed CA, the same as `signingKey`).
    ///   - issuer: the issuing CA certificate, or nil for self-signed.
    ///   - signingKey: the issuer's private key.
    ///   - extensions: added in order; subjectKeyIdentifier must precede authorityKeyIdentifier.
    static func makeCertificate(
        commonName: String,
        publicKey: OpaquePointer,
        issuer: OpaquePointer?,
        signingKey: OpaquePointer,
        validity: CertificateValidity,
        extensions: [Extension],
        operation: String
    ) throws(TLSError) -> OpaquePointer {
        guard validity.notAfter > validity.notBefore else {
            throw TLSError(.invalidValidity, operation: operation, reason: "notAfter is not after notBefore")
        }
        OpenSSLErrorQueue.clear()
        guard let certificate = X509_new() else { throw failure(operation, "X509_new failed") }
        var success = false
        defer { if !success { X509_free(certificate) } }

        guard X509_set_version(certificate, 2) == 1 else { throw failure(operation, "X509_set_version failed") }
        try setRandomSerial(certificate, operation: operation)
        try setValidity(certificate, validity, operation: operation)
        try setSubject(certificate, commonName: commonName, operation: operation)
        let issuerName = issuer.map { X509_get_subject_name($0) } ?? X509_get_subject_name(certificate)
        guard X509_set_issuer_name(certificate, issuerName) == 1 else {
            throw failure(operation, "X509_set_issuer_name failed")
        }
        guard X509_set_pubkey(certificate, publicKey) == 1 else { throw failure(operation, "X509_set_pubkey failed") }

        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer ?? certificate, certificate, nil, nil, 0)
        if issuer == nil {
            // Self-signed: authorityKeyIdentifier is derived from our own key.
            _ = X509V3_set_issuer_pkey(&context, signingKey)
        }
        for item in extensions {
            guard let extensionPointer = X509V3_EXT_conf_nid(nil, &context, item.nid, item.value) else {
                throw failure(operation, "could not build extension \(item.value)")
            }
            defer { X509_EXTENSION_free(extensionPointer) }
            guard X509_add_ext(certificate, extensionPointer, -1) == 1 else {
                throw failure(operation, "could not add extension \(item.value)")
            }
        }
        guard X509_sign(certificate, signingKey, EVP_sha256()) > 0 else {
            throw failure(operation, "signing the certificate failed")
        }
        success = true
        return certificate
    }

    // MARK: - PEM

    /// PEM text of a certificate.
    static func pem(certificate: OpaquePointer, operation: String) throws(TLSError) -> String {
        OpenSSLErrorQueue.clear()
        guard let text = X509Text.withMemoryBIO({ PEM_write_bio_X509($0, certificate) == 1 }) else {
            throw failure(operation, "PEM encoding of the certificate failed")
        }
        return text
    }

    /// Unencrypted PKCS#8 PEM text of a private key.
    static func pem(privateKey: OpaquePointer, operation: String) throws(TLSError) -> String {
        OpenSSLErrorQueue.clear()
        let text = X509Text.withMemoryBIO { bio in
            PEM_write_bio_PrivateKey(bio, privateKey, nil, nil, 0, nil, nil) == 1
        }
        guard let text else { throw failure(operation, "PEM encoding of the private key failed") }
        return text
    }

    /// Reads the first PEM certificate of a file.
    static func readCertificate(path: String, operation: String) throws(TLSError) -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        guard let bio = BIO_new_file(path, "r") else {
            throw TLSError(.fileNotFound, operation: operation, file: path, reason: "cannot open file",
                           openSSLErrors: OpenSSLErrorQueue.drainText())
        }
        defer { BIO_free(bio) }
        guard let certificate = PEM_read_bio_X509(bio, nil, nil, nil) else {
            throw TLSError(.invalidCertificate, operation: operation, file: path, reason: "not a PEM certificate",
                           openSSLErrors: OpenSSLErrorQueue.drainText())
        }
        return certificate
    }

    /// Reads an unencrypted PEM private key.
    static func readPrivateKey(path: String, operation: String) throws(TLSError) -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        guard let bio = BIO_new_file(path, "r") else {
            throw TLSError(.fileNotFound, operation: operation, file: path, reason: "cannot open file",
                           openSSLErrors: OpenSSLErrorQueue.drainText())
        }
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            throw TLSError(.invalidPrivateKey, operation: operation, file: path, reason: "not a PEM private key",
                           openSSLErrors: OpenSSLErrorQueue.drainText())
        }
        return key
    }

    // MARK: - Pieces

    private static func setRandomSerial(_ certificate: OpaquePointer, operation: String) throws(TLSError) {
        guard let number = BN_new() else { throw failure(operation, "BN_new failed") }
        defer { BN_free(number) }
        // 127 random bits: positive, at most 16 bytes, collision-free in practice (RFC 5280 4.1.2.2).
        guard BN_rand(number, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1,
              BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil
        else { throw failure(operation, "could not set a random serial number") }
    }

    private static func setValidity(
        _ certificate: OpaquePointer, _ validity: CertificateValidity, operation: String
    ) throws(TLSError) {
        guard let notBefore = Int(exactly: validity.notBefore.timeIntervalSince1970.rounded(.down)),
              let notAfter = Int(exactly: validity.notAfter.timeIntervalSince1970.rounded(.down)),
              notBefore >= 0, notAfter <= 253_402_300_799  // 9999-12-31T23:59:59Z, the X.509 maximum
        else {
            throw TLSError(.invalidValidity, operation: operation, reason: "validity outside 1970…9999")
        }
        guard ASN1_TIME_set(X509_getm_notBefore(certificate), time_t(notBefore)) != nil,
              ASN1_TIME_set(X509_getm_notAfter(certificate), time_t(notAfter)) != nil
        else { throw failure(operation, "could not set the validity") }
    }

    private static func setSubject(_ certificate: OpaquePointer, commonName: String, operation: String)
        throws(TLSError)
    {
        guard let name = X509_get_subject_name(certificate) else { throw failure(operation, "no subject name") }
        let bytes = Array(commonName.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else {
            throw TLSError(.invalidName, operation: operation, reason: "common name must be 1…64 bytes")
        }
        let added = X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, "mmmbench", -1, -1, 0) == 1
            && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0) == 1
        guard added else { throw failure(operation, "could not set the subject name") }
    }

    static func failure(_ operation: String, _ reason: String) -> TLSError {
        TLSError(.certificateCreationFailed, operation: operation, reason: reason,
                 openSSLErrors: OpenSSLErrorQueue.drainText())
    }
}
