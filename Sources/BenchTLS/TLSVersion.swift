/// The lowest TLS protocol version a ``TLSContext`` accepts.
///
/// TLS 1.3 is the default everywhere; TLS 1.2 exists for peers that cannot do 1.3 and must be chosen explicitly.
public enum TLSVersion: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// TLS 1.2 (RFC 5246), with ECDHE + AEAD cipher suites only.
    case v1_2 = "1.2"
    /// TLS 1.3 (RFC 8446). The default.
    case v1_3 = "1.3"

    /// `"TLS 1.2"` or `"TLS 1.3"`.
    public var description: String { "TLS \(rawValue)" }
}
