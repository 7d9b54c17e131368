import COpenSSL

/// Checks that our own certificate may be used in our role, as the peer's OpenSSL will check it during every
/// handshake (`X509_check_purpose` with the SSL server or SSL client purpose: extendedKeyUsage, keyUsage and the
/// old Netscape type). A coordinator started with an agent certificate (extendedKeyUsage clientAuth only) would
/// otherwise listen and fail every agent's handshake with a reason that names neither its file nor the cause.
enum CertificatePurpose {
    /// Throws ``TLSError`` `.wrongPurpose` naming `file`, the purpose `role` needs and the one the certificate has.
    static func check(_ certificate: OpaquePointer, role: TLSRole, file: String) throws(TLSError) {
        let (purpose, needed, program) = switch role {
        case .server: (X509_PURPOSE_SSL_SERVER, "serverAuth", "a coordinator (TLS server)")
        case .client: (X509_PURPOSE_SSL_CLIENT, "clientAuth", "an agent (TLS client)")
        }
        OpenSSLErrorQueue.clear()
        guard X509_check_purpose(certificate, Int32(purpose), 0) != 1 else { return }
        let errors = OpenSSLErrorQueue.drainText()
        let hint = switch role {
        case .server: "issue the coordinator's own with `mmmbench certs coordinator`"
        case .client: "issue the agent's own with `mmmbench certs agent --name NAME`"
        }
        throw TLSError(
            .wrongPurpose, operation: "load certificate chain", file: file,
            reason: "this certificate cannot be used by \(program): it needs extendedKeyUsage \(needed), the "
                + "certificate allows \(allowedUsage(certificate)); \(hint)",
            openSSLErrors: errors)
    }

    /// The certificate's TLS extended key usages as text: `clientAuth`, `serverAuth, clientAuth`, `any purpose` when
    /// it has no extendedKeyUsage extension (then keyUsage or the Netscape type refused it), or `neither serverAuth
    /// nor clientAuth`.
    static func allowedUsage(_ certificate: OpaquePointer) -> String {
        let usage = X509_get_extended_key_usage(certificate)
        if usage == UInt32.max { return "any extended key usage (its keyUsage does not allow TLS)" }
        var names: [String] = []
        if usage & UInt32(XKU_SSL_SERVER) != 0 { names.append("serverAuth") }
        if usage & UInt32(XKU_SSL_CLIENT) != 0 { names.append("clientAuth") }
        return names.isEmpty ? "neither serverAuth nor clientAuth" : names.joined(separator: ", ")
    }
}
