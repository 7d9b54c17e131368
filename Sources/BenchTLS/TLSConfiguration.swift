import NIOCore

/// Everything needed to build a ``TLSContext``: who we are, whom we trust, and the protocol floor.
///
/// Both sides of an mmmbench connection use the same shape: a certificate chain and private key issued by the
/// deployment's CA, and that CA as the only trust root. Peers are always verified; there is no switch to turn
/// verification off.
public struct TLSConfiguration: Sendable, Hashable {
    /// PEM file with our certificate first, optionally followed by intermediates.
    public var certificateChainPath: String
    /// PEM file with the private key of the first certificate in ``certificateChainPath``.
    public var privateKeyPath: String
    /// PEM file with the CA certificate(s) a peer's certificate must chain to.
    public var trustRootsPath: String
    /// The lowest protocol version accepted. Defaults to TLS 1.3.
    public var minimumVersion: TLSVersion
    /// How long a connection may take from `channelActive` to a completed handshake before it is closed with
    /// ``TLSError/Code/handshakeTimeout``. Defaults to 10 seconds.
    public var handshakeTimeout: TimeAmount
    /// PEM file with certificate revocation list(s) of the CA in ``trustRootsPath``; a peer certificate listed
    /// in it is refused. nil: no revocation check.
    public var crlPath: String?

    /// Creates a configuration.
    /// - Parameters:
    ///   - certificateChainPath: PEM certificate chain presented to the peer (leaf first).
    ///   - privateKeyPath: PEM private key matching the leaf certificate.
    ///   - trustRootsPath: PEM CA certificate(s) the peer must chain to.
    ///   - minimumVersion: protocol floor, `.v1_3` unless a peer needs 1.2.
    ///   - handshakeTimeout: time allowed for the handshake.
    ///   - crlPath: PEM CRL(s) of the CA, checked against peer certificates (nil: none).
    public init(
        certificateChainPath: String,
        privateKeyPath: String,
        trustRootsPath: String,
        minimumVersion: TLSVersion = .v1_3,
        handshakeTimeout: TimeAmount = .seconds(10),
        crlPath: String? = nil
    ) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.trustRootsPath = trustRootsPath
        self.minimumVersion = minimumVersion
        self.handshakeTimeout = handshakeTimeout
        self.crlPath = crlPath
    }
}
