import COpenSSL

extension TLSContext {
    /// Loads the CRL(s) in `path` into the context's certificate store and turns on revocation checking of the
    /// peer's (leaf) certificate: a revoked agent's handshake fails with `certificate revoked`.
    ///
    /// Each CRL must be issued (and signed) by a certificate of the trust roots and be current (its nextUpdate not
    /// passed): with revocation checking on, OpenSSL refuses *every* peer when the CA's CRL is missing or stale, so
    /// such a file is refused here, at load time, with the reason, instead.
    func loadRevocationLists(_ path: String) throws(TLSError) {
        let operation = "load revocation list"
        try Self.requireReadable(path, what: "revocation list")
        let authorities = try Self.readCertificates(configuration.trustRootsPath, operation: operation)
        defer { authorities.forEach { X509_free($0) } }
        let lists = try Self.readRevocationLists(path, operation: operation)
        defer { lists.forEach { X509_CRL_free($0) } }
        guard !lists.isEmpty else {
            throw TLSError(.invalidRevocationList, operation: operation, file: path, reason: "no PEM CRL in file")
        }
        guard let store = SSL_CTX_get_cert_store(pointer) else {
            throw TLSError(.contextSetupFailed, operation: operation, reason: "the context has no certificate store")
        }
        for list in lists {
            let issuer = authorities.first { X509_NAME_cmp(X509_CRL_get_issuer(list), X509_get_subject_name($0)) == 0 }
            guard let issuer, let key = X509_get0_pubkey(issuer), X509_CRL_verify(list, key) == 1 else {
                OpenSSLErrorQueue.clear()
                throw TLSError(.invalidRevocationList, operation: operation, file: path,
                               reason: "the CRL is not signed by the CA in \(configuration.trustRootsPath)")
            }
            if let nextUpdate = X509_CRL_get0_nextUpdate(list), X509_cmp_current_time(nextUpdate) < 0 {
                throw TLSError(.invalidRevocationList, operation: operation, file: path,
                               reason: "the CRL is out of date (next update was due \(X509Text.time(nextUpdate))): "
                                   + "every peer would be refused; issue a new one")
            }
            OpenSSLErrorQueue.clear()
            guard X509_STORE_add_crl(store, list) == 1 else {
                throw TLSError(.invalidRevocationList, operation: operation, file: path,
                               reason: "OpenSSL refused the CRL", openSSLErrors: OpenSSLErrorQueue.drainText())
            }
        }
        OpenSSLErrorQueue.clear()
        guard X509_STORE_set_flags(store, UInt(X509_V_FLAG_CRL_CHECK)) == 1 else {
            throw TLSError(.contextSetupFailed, operation: "X509_STORE_set_flags", reason: "CRL checking refused",
                           openSSLErrors: OpenSSLErrorQueue.drainText())
        }
    }

    /// Every PEM certificate in a file (the caller frees them).
    static func readCertificates(_ path: String, operation: String) throws(TLSError) -> [OpaquePointer] {
        try readPEMObjects(path, operation: operation) { bio in PEM_read_bio_X509(bio, nil, nil, nil) }
    }

    /// Every PEM CRL in a file (the caller frees them).
    static func readRevocationLists(_ path: String, operation: String) throws(TLSError) -> [OpaquePointer] {
        try readPEMObjects(path, operation: operation) { bio in PEM_read_bio_X509_CRL(bio, nil, nil, nil) }
    }

    /// Reads PEM objects until the file has no more (at most 1,000: a CA file is small).
    private static func readPEMObjects(
        _ path: String, operation: String, read: (OpaquePointer) -> OpaquePointer?
    ) throws(TLSError) -> [OpaquePointer] {
        OpenSSLErrorQueue.clear()
        guard let bio = BIO_new_file(path, "r") else {
            throw TLSError(.fileNotFound, operation: operation, file: path, reason: "cannot open",
                           openSSLErrors: OpenSSLErrorQueue.drainText())
        }
        defer { BIO_free(bio) }
        var objects: [OpaquePointer] = []
        for _ in 0..<1_000 {
            guard let object = read(bio) else { break }
            objects.append(object)
        }
        // The loop ends on "no start line" at the end of the file: not an error.
        OpenSSLErrorQueue.clear()
        return objects
    }
}
