/// Who the peer is, read from its verified leaf certificate after the handshake.
///
/// The coordinator authorises agents by ``commonName`` (the agent name that `mmmbench certs agent` writes into
/// both the CN and a DNS SAN); ``fingerprintSHA256`` identifies one exact certificate.
public struct TLSPeerIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The subject's common name (CN), if the subject has one.
    public let commonName: String?
    /// The `dNSName` entries of the subjectAltName extension, in certificate order.
    public let dnsNames: [String]
    /// The `iPAddress` entries of the subjectAltName extension as text (`"10.0.0.5"`, `"::1"`), in order.
    public let ipAddresses: [String]
    /// SHA-256 of the DER certificate as 64 lowercase hex digits, no separators.
    public let fingerprintSHA256: String

    /// Creates an identity (the handler builds these; public for tests and for allow-list code).
    public init(commonName: String?, dnsNames: [String], ipAddresses: [String], fingerprintSHA256: String) {
        self.commonName = commonName
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
        self.fingerprintSHA256 = fingerprintSHA256
    }

    /// The identity of the first certificate in a PEM file (what a peer presenting it would be seen as).
    /// - Throws: ``TLSError`` `.fileNotFound` or `.invalidCertificate`.
    public init(certificateAt path: String) throws(TLSError) {
        self = try X509Text.identity(ofCertificateAt: path)
    }

    public var description: String {
        var parts = ["CN=\(commonName ?? "-")"]
        if !dnsNames.isEmpty { parts.append("DNS=\(dnsNames.joined(separator: ","))") }
        if !ipAddresses.isEmpty { parts.append("IP=\(ipAddresses.joined(separator: ","))") }
        parts.append("SHA256=\(fingerprintSHA256.prefix(16))…")
        return parts.joined(separator: " ")
    }
}

/// User event fired inbound by ``OpenSSLHandler`` once the handshake has completed and the peer's certificate
/// has been verified. Handlers after the TLS handler can read the peer's identity from it.
public struct TLSHandshakeCompleted: Sendable, Hashable {
    /// The verified peer.
    public let peer: TLSPeerIdentity
    /// The negotiated protocol version.
    public let version: TLSVersion?

    /// Creates the event.
    public init(peer: TLSPeerIdentity, version: TLSVersion?) {
        self.peer = peer
        self.version = version
    }
}
