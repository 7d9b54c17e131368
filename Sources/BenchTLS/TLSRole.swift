/// Which end of a TLS connection a ``TLSContext`` is for.
public enum TLSRole: String, Sendable, Hashable, CustomStringConvertible {
    /// Accepts connections; requires and verifies a client certificate (the coordinator).
    case server
    /// Opens connections; presents its certificate and verifies the server's (an agent).
    case client

    public var description: String { rawValue }
}
