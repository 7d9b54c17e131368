import BenchJSON
import BenchProtocol
import BenchWire

/// Which outbox row an acknowledgement deletes: the attempt, in the collection of the session that received the
/// `ack`.
public struct OutboxKey: Hashable, Sendable, CustomStringConvertible {
    /// The collection of the acknowledging coordinator; nil deletes only an untagged row.
    public var collectionID: String?
    /// The attempt.
    public var task: TaskRef

    /// Creates a key.
    public init(collectionID: String?, task: TaskRef) {
        self.collectionID = collectionID
        self.task = task
    }

    public var description: String { "\(task) of collection \(collectionID ?? "(untagged)")" }
}
