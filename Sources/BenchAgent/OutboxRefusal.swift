import BenchJSON
import BenchProtocol
import BenchWire

/// A result the coordinator answered with `ack` `refused`: its row stays in the outbox, marked with the reason.
public struct OutboxRefusal: Sendable, Equatable {
    /// The refused attempt in the collection of the session that received the answer (matches an untagged row
    /// of the attempt too, like ``Outbox/remove(_:)``).
    public var key: OutboxKey
    /// The coordinator's reason, stored in `refused_reason`.
    public var reason: String

    /// Creates a refusal.
    public init(key: OutboxKey, reason: String) {
        self.key = key
        self.reason = reason
    }
}
