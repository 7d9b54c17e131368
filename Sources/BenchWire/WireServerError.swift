import BenchJSON
import BenchProtocol
/// Why ``WireServer`` closed a connection before its handler ran (reported to `onConnectionError`).
public enum WireServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `limit` accepted connections were already waiting for their TLS handshake
    /// (``WireConfiguration/maxPendingHandshakes``); this one was closed at once, before any TLS work.
    case tooManyPendingHandshakes(limit: Int)

    public var description: String {
        switch self {
        case .tooManyPendingHandshakes(let limit):
            return "refused at once: \(limit) connections are already waiting for their TLS handshake (the limit)"
        }
    }
}
