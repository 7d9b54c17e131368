import COpenSSL
import Foundation

/// A loaded, immutable OpenSSL `SSL_CTX` for one role, shared by every connection of that role.
///
/// Building the context loads and checks all files once, so configuration mistakes surface at startup with the
/// file name and OpenSSL's reason rather than on the first connection. The policy is fixed:
/// - the peer is always verified against ``TLSConfiguration/trustRootsPath`` (the server additionally requires
///   that the client presents a certificate: `SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT`);
/// - TLS 1.3 minimum by default, 1.2 on request; renegotiation, compression, session tickets and the session
///   cache are off (connections are long-lived; resumption would skip the client-certificate check);
/// - ECDHE + AEAD ciphers only (Mozilla "intermediate" for 1.2), key exchange groups X25519, P-256, P-384;
/// - `SSL_MODE_RELEASE_BUFFERS`, so an idle connection holds about 27 KiB instead of 37 KiB.
///
/// `@unchecked Sendable`: the class only owns an `SSL_CTX*` that is fully configured in `init` and never mutated
/// afterwards; OpenSSL documents `SSL_new` on a shared, unmodified `SSL_CTX` as thread-safe (the context is
/// reference-counted internally).
public final class TLSContext: @unchecked Sendable {
    /// The configuration this context was loaded from.
    public let configuration: TLSConfiguration
    /// Whether connections made from this context accept (`.server`) or open (`.client`) connections.
    public let role: TLSRole

    /// The owned `SSL_CTX*`; freed in `deinit`.
    let pointer: OpaquePointer
    private let testing: TestingOptions

    /// TLS 1.2 cipher list: ECDHE key exchange with AEAD ciphers (Mozilla intermediate profile).
    static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")
    /// TLS 1.3 cipher suites (all three AEAD suites of RFC 8446 that OpenSSL enables by default).
    static let tls13CipherSuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
    /// Key exchange groups offered and accepted.
    static let groups = "X25519:P-256:P-384"

    /// Loads certificate, key and trust roots and configures the policy described on the type.
    /// - Throws: ``TLSError`` with code `.fileNotFound`, `.invalidCertificate`, `.invalidPrivateKey`,
    ///   `.keyMismatch`, `.certificateExpired`, `.wrongPurpose` (naming the file) or `.contextSetupFailed`.
    public convenience init(configuration: TLSConfiguration, role: TLSRole) throws(TLSError) {
        try self.init(configuration: configuration, role: role, testing: TestingOptions())
    }

    /// Deliberate deviations from the policy, for tests that need a misbehaving peer. Not public.
    struct TestingOptions {
        /// Load our certificate and key (false: a client that presents no certificate).
        var presentCertificate = true
        /// Cap the protocol version (a TLS 1.2-only client).
        var maximumVersion: TLSVersion?
        /// Refuse an expired own certificate (false: a peer that presents an expired one).
        var checkOwnValidity = true
        /// Refuse an own certificate issued for the other role (false: a peer that presents one).
        var checkOwnPurpose = true
    }

    init(configuration: TLSConfiguration, role: TLSRole, testing: TestingOptions) throws(TLSError) {
        self.configuration = configuration
        self.role = role
        self.testing = testing
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_method()) else {
            throw Self.setupError("SSL_CTX_new", reason: "could not allocate an SSL context")
        }
        self.pointer = context
        // From here on `deinit` frees the context, also when a later step throws.
        try configurePolicy()
        try loadTrustRoots()
        if let crlPath = configuration.crlPath {
            try loadRevocationLists(crlPath)
        }
        if testing.presentCertificate {
            try loadIdentity()
        }
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    /// Creates a new `SSL*` in the role's state. The caller owns it.
    func makeConnection() throws(TLSError) -> OpaquePointer {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(pointer) else {
            throw TLSError(
                .contextSetupFailed, operation: "SSL_new", reason: "could not allocate a connection",
                openSSLErrors: OpenSSLErrorQueue.drainText())
        }
        switch role {
        case .server: SSL_set_accept_state(ssl)
        case .client: SSL_set_connect_state(ssl)
        }
        return ssl
    }

    // MARK: - Loading steps

    private func configurePolicy() throws(TLSError) {
        let minimumVersion = testing.maximumVersion == .v1_2 ? .v1_2 : configuration.minimumVersion
        let minimum: Int32 = switch minimumVersion {
        case .v1_2: COpenSSL_TLS1_2_VERSION()
        case .v1_3: COpenSSL_TLS1_3_VERSION()
        }
        try check(COpenSSL_SSL_CTX_set_min_proto_version(pointer, minimum), "SSL_CTX_set_min_proto_version")
        let maximum = testing.maximumVersion == .v1_2 ? COpenSSL_TLS1_2_VERSION() : COpenSSL_TLS1_3_VERSION()
        try check(COpenSSL_SSL_CTX_set_max_proto_version(pointer, maximum), "SSL_CTX_set_max_proto_version")
        let options = COpenSSL_SSL_OP_ALL() | COpenSSL_SSL_OP_NO_RENEGOTIATION() | COpenSSL_SSL_OP_NO_COMPRESSION()
            | COpenSSL_SSL_OP_NO_TICKET() | COpenSSL_SSL_OP_CIPHER_SERVER_PREFERENCE()
        SSL_CTX_set_options(pointer, options)
        _ = COpenSSL_SSL_CTX_set_mode(pointer, COpenSSL_SSL_MODE_RELEASE_BUFFERS())
        _ = COpenSSL_SSL_CTX_set_session_cache_mode(pointer, COpenSSL_SSL_SESS_CACHE_OFF())
        try check(SSL_CTX_set_num_tickets(pointer, 0), "SSL_CTX_set_num_tickets")
        try check(SSL_CTX_set_cipher_list(pointer, Self.tls12Ciphers), "SSL_CTX_set_cipher_list")
        try check(SSL_CTX_set_ciphersuites(pointer, Self.tls13CipherSuites), "SSL_CTX_set_ciphersuites")
        try check(COpenSSL_SSL_CTX_set1_groups_list(pointer, Self.groups), "SSL_CTX_set1_groups_list")
        let verifyMode: Int32 = switch role {
        case .server: COpenSSL_SSL_VERIFY_PEER() | COpenSSL_SSL_VERIFY_FAIL_IF_NO_PEER_CERT()
        case .client: COpenSSL_SSL_VERIFY_PEER()
        }
        SSL_CTX_set_verify(pointer, verifyMode, nil)
        SSL_CTX_set_verify_depth(pointer, 4)
    }

    private func loadTrustRoots() throws(TLSError) {
        let path = configuration.trustRootsPath
        try Self.requireReadable(path, what: "trust roots")
        OpenSSLErrorQueue.clear()
        guard SSL_CTX_load_verify_locations(pointer, path, nil) == 1 else {
            throw TLSError(
                .invalidCertificate, operation: "load trust roots", file: path,
                reason: "not a PEM CA certificate", openSSLErrors: OpenSSLErrorQueue.drainText())
        }
        if role == .server {
            // Tell clients which CA we accept, so a client with several identities can pick the right one.
            OpenSSLErrorQueue.clear()
            if let names = SSL_load_client_CA_file(path) {
                SSL_CTX_set_client_CA_list(pointer, names)  // takes ownership of `names`
            }
            OpenSSLErrorQueue.clear()
        }
    }

    private func loadIdentity() throws(TLSError) {
        let chainPath = configuration.certificateChainPath
        let keyPath = configuration.privateKeyPath
        try Self.requireReadable(chainPath, what: "certificate chain")
        try Self.requireReadable(keyPath, what: "private key")

        OpenSSLErrorQueue.clear()
        guard SSL_CTX_use_certificate_chain_file(pointer, chainPath) == 1 else {
            throw TLSError(
                .invalidCertificate, operation: "load certificate chain", file: chainPath,
                reason: "not a PEM certificate chain", openSSLErrors: OpenSSLErrorQueue.drainText())
        }
        if testing.checkOwnValidity {
            try Self.checkValidity(of: SSL_CTX_get0_certificate(pointer), file: chainPath)
        }
        if testing.checkOwnPurpose, let certificate = SSL_CTX_get0_certificate(pointer) {
            try CertificatePurpose.check(certificate, role: role, file: chainPath)
        }

        OpenSSLErrorQueue.clear()
        guard SSL_CTX_use_PrivateKey_file(pointer, keyPath, SSL_FILETYPE_PEM) == 1 else {
            let entries = OpenSSLErrorQueue.drain()
            let mismatch = entries.contains { $0.reason == X509_R_KEY_VALUES_MISMATCH }
            throw TLSError(
                mismatch ? .keyMismatch : .invalidPrivateKey, operation: "load private key", file: keyPath,
                reason: mismatch
                    ? "private key does not match the certificate in \(chainPath)" : "not a PEM private key",
                openSSLErrors: entries.map(\.text))
        }
        OpenSSLErrorQueue.clear()
        guard SSL_CTX_check_private_key(pointer) == 1 else {
            throw TLSError(
                .keyMismatch, operation: "check private key", file: keyPath,
                reason: "private key does not match the certificate in \(chainPath)",
                openSSLErrors: OpenSSLErrorQueue.drainText())
        }
    }

    // MARK: - Helpers

    private func check(_ result: Int32, _ operation: String) throws(TLSError) {
        guard result == 1 else { throw Self.setupError(operation, reason: "OpenSSL refused the setting") }
    }

    private static func setupError(_ operation: String, reason: String) -> TLSError {
        TLSError(.contextSetupFailed, operation: operation, reason: reason,
                 openSSLErrors: OpenSSLErrorQueue.drainText())
    }

    static func requireReadable(_ path: String, what: String) throws(TLSError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TLSError(.fileNotFound, operation: "load \(what)", file: path, reason: "no such file")
        }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: path) else {
            throw TLSError(
                .fileNotFound, operation: "load \(what)", file: path,
                reason: isDirectory.boolValue ? "is a directory" : "not readable")
        }
    }

    /// Refuses our own certificate when it is expired or not yet valid: such a context could never complete a
    /// handshake with a verifying peer, and the peer's error would not name our file.
    private static func checkValidity(of certificate: OpaquePointer?, file: String) throws(TLSError) {
        guard let certificate else {
            throw TLSError(.invalidCertificate, operation: "load certificate chain", file: file,
                           reason: "no certificate in file")
        }
        if let notAfter = X509_get0_notAfter(certificate), X509_cmp_current_time(notAfter) < 0 {
            throw TLSError(.certificateExpired, operation: "load certificate chain", file: file,
                           reason: "certificate expired at \(X509Text.time(notAfter))")
        }
        if let notBefore = X509_get0_notBefore(certificate), X509_cmp_current_time(notBefore) > 0 {
            throw TLSError(.certificateExpired, operation: "load certificate chain", file: file,
                           reason: "certificate is not valid before \(X509Text.time(notBefore))")
        }
    }
}

extension TLSContext {
    /// The OpenSSL library version in use, e.g. `OpenSSL 3.0.13 30 Jan 2024`.
    public static var openSSLVersion: String {
        String(cString: OpenSSL_version(OPENSSL_VERSION))
    }
}
