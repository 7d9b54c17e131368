/// A failure of the reference trainer itself (not of a request), with what was being done and why it failed.
public struct TrainerError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure, to match on.
    public enum Kind: Sendable, Equatable {
        /// `start()` on a trainer that is running or was stopped.
        case alreadyStarted
        /// The configuration cannot work (bad host, port or scale).
        case invalidConfiguration
        /// The socket could not be bound or the server failed.
        case server
        /// The request log could not be opened or written.
        case requestLog
        /// A warm-up step failed.
        case warmUp
    }

    public var kind: Kind
    /// What the trainer was doing, e.g. "bind 127.0.0.1:8080".
    public var operation: String
    /// The file involved, if any.
    public var path: String?
    /// Why it failed.
    public var reason: String

    public init(_ kind: Kind, operation: String, path: String? = nil, reason: String) {
        self.kind = kind
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    public var description: String {
        var text = "trainer: \(operation)"
        if let path { text += " (\(path))" }
        return text + ": \(reason)"
    }
}
