/// Every failure BenchTLS reports: a ``Code`` to match on plus the context needed to act on it.
///
/// `description` names the operation, the file (for loading errors) and OpenSSL's own reason text (the drained
/// OpenSSL error queue), never key material or payload bytes.
public struct TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        // MARK: Loading a TLSContext
        /// A configured file does not exist or cannot be read.
        case fileNotFound
        /// A file could not be parsed as a PEM certificate (chain).
        case invalidCertificate
        /// A file could not be parsed as a PEM private key.
        case invalidPrivateKey
        /// The private key does not belong to the certificate.
        case keyMismatch
        /// Our own certificate is expired or not yet valid.
        case certificateExpired
        /// Our own certificate's extendedKeyUsage does not allow our role (an agent certificate for a coordinator).
        case wrongPurpose
        /// OpenSSL refused a context setting (out of memory, unsupported option).
        case contextSetupFailed
        /// The revocation list file is not a PEM CRL of the trusted CA, or it is out of date.
        case invalidRevocationList

        // MARK: A connection
        /// The handshake failed inside OpenSSL (protocol error, no shared version or cipher, bad record…).
        case handshakeFailed
        /// We could not verify the peer's certificate (unknown CA, expired, wrong name); `reason` says which.
        case certificateVerificationFailed
        /// The peer completed the handshake without presenting a certificate.
        case peerCertificateMissing
        /// The peer sent a fatal alert, for example `certificate required` or `unknown ca` after a TLS 1.3
        /// client handshake, when the server rejected our certificate.
        case rejectedByPeer
        /// The handshake did not finish within ``TLSConfiguration/handshakeTimeout``.
        case handshakeTimeout
        /// The TCP connection closed before the handshake finished.
        case eofDuringHandshake
        /// The TCP connection closed without a TLS `close_notify`: data may have been truncated.
        case uncleanShutdown
        /// Reading or writing application data failed inside OpenSSL.
        case ioFailed
        /// A write was pending or issued when the connection closed; it was not sent.
        case channelClosed
        /// OpenSSL made no progress where it must (a guard against looping forever).
        case noProgress

        // MARK: Certificate authority helpers
        /// A file that would be written exists and `force` was not given.
        case fileExists
        /// No CA (`ca.pem`, `ca-key.pem`) in the given directory.
        case authorityNotFound
        /// An agent or certificate name is not acceptable.
        case invalidName
        /// A subjectAltName entry is neither a DNS name nor an IP address.
        case invalidSubjectAlternativeName
        /// The validity window is empty or out of range.
        case invalidValidity
        /// OpenSSL failed while building or signing a certificate or key.
        case certificateCreationFailed
        /// Writing a PEM file or creating its directory failed.
        case fileWriteFailed
    }

    /// What kind of failure this is.
    public let code: Code
    /// What we were doing, e.g. `"load private key"`, `"handshake"`, `"read"`, `"issue client certificate"`.
    public let operation: String
    /// The file involved, for loading and writing errors.
    public let file: String?
    /// A human-readable reason, e.g. `"certificate has expired"` or `"peer sent alert: certificate required"`.
    public let reason: String
    /// The OpenSSL error queue drained after the failing call, one formatted entry per line, oldest first.
    public let openSSLErrors: [String]

    /// Creates an error.
    public init(_ code: Code, operation: String, file: String? = nil, reason: String, openSSLErrors: [String] = []) {
        self.code = code
        self.operation = operation
        self.file = file
        self.reason = reason
        self.openSSLErrors = openSSLErrors
    }

    public var description: String {
        let certificateHelperCodes: Set<Code> = [
            .fileExists, .authorityNotFound, .invalidName, .invalidSubjectAlternativeName, .invalidValidity,
            .certificateCreationFailed, .fileWriteFailed,
        ]
        var text = certificateHelperCodes.contains(code) ? "" : "TLS "
        text += "\(operation) failed (\(code.rawValue))"
        if let file { text += " [\(file)]" }
        text += ": \(reason)"
        if !openSSLErrors.isEmpty { text += " — OpenSSL: " + openSSLErrors.joined(separator: "; ") }
        return text
    }
}
