import BenchJSON
import BenchProtocol
import BenchWire

/// A result as the outbox keeps it: the `result` message and the collection it belongs to.
public struct OutboxEntry: Sendable, Equatable {
    /// The `result` message, exactly as it is (re)sent.
    public var result: WireMessage.TaskResult
    /// The `collection_id` of the coordinator's `welcome` in the session that assigned the attempt; nil for rows
    /// written before outboxes recorded it (sent to any coordinator, as before).
    public var collectionID: String?
    /// Why a coordinator refused the result (`ack` `refused`); nil while it waits for an acknowledgement.
    public var refusedReason: String?

    /// Creates an entry.
    public init(result: WireMessage.TaskResult, collectionID: String?, refusedReason: String? = nil) {
        self.result = result
        self.collectionID = collectionID
        self.refusedReason = refusedReason
    }

    /// Whether the entry is never sent again: the coordinator of its own collection refused it. An untagged
    /// refused entry is still retried once per session of another collection (or after a restart).
    public var isSettledRefusal: Bool {
        refusedReason != nil && collectionID != nil
    }

    /// The attempt and collection, the entry's identity in the outbox.
    public var key: OutboxKey { OutboxKey(collectionID: collectionID, task: result.task) }

    /// Whether the entry may be sent to a coordinator running `collection`: it belongs to it, or is untagged.
    public func isDeliverable(to collection: String) -> Bool {
        collectionID == nil || collectionID == collection
    }
}
