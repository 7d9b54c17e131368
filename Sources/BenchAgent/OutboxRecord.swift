import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import GRDB

/// One row of the outbox: a finished attempt's `result` message, kept until the coordinator acknowledges it.
struct OutboxRecord: Codable, Sendable, FetchableRecord, TableRecord {
    static let databaseTableName = "outbox_result"

    /// The collection the result belongs to; nil for rows written before the outbox recorded it.
    var collectionID: String?
    var taskID: String
    var attempt: Int
    /// The `outcome` as JSON text: written by BenchJSON's `JSONWriter` (sorted keys); rows of earlier versions
    /// (their own compact writer: members in dictionary order, `-0` as `0`) read the same (``OutboxCoding``).
    var outcomeJSON: String
    /// The `finished_at` timestamp text.
    var finishedAt: String
    /// Insertion order, so results are resent oldest first.
    var sequence: Int64?
    /// Why the coordinator refused the result; nil unless it answered `ack` `refused`.
    var refusedReason: String?
    /// When the refusal arrived (agent's wall clock, RFC 3339).
    var refusedAt: String?

    enum Columns {
        static let taskID = Column(CodingKeys.taskID)
        static let attempt = Column(CodingKeys.attempt)
        static let sequence = Column(CodingKeys.sequence)
    }

    enum CodingKeys: String, CodingKey {
        case collectionID = "collection_id"
        case taskID = "task_id"
        case attempt
        case outcomeJSON = "outcome_json"
        case finishedAt = "finished_at"
        case sequence
        case refusedReason = "refused_reason"
        case refusedAt = "refused_at"
    }

    /// The row of an entry, with its outcome encoded once.
    init(_ entry: OutboxEntry) throws {
        let result = entry.result
        collectionID = entry.collectionID
        taskID = result.task.taskID
        attempt = result.task.attempt
        outcomeJSON = try OutboxCoding.text(of: result.outcome)
        finishedAt = result.finishedAt.rawValue
        sequence = nil
        refusedReason = nil
        refusedAt = nil
    }

    var task: TaskRef { TaskRef(taskID: taskID, attempt: attempt) }

    /// The `result` message this row holds; throws when the stored text does not decode.
    func message() throws -> WireMessage.TaskResult {
        let outcome = try OutboxCoding.outcome(fromText: outcomeJSON)
        guard let finished = WireTimestamp(rawValue: finishedAt) else {
            throw OutboxRowError(task: task, reason: "finished_at '\(finishedAt.prefix(40))' is not a timestamp")
        }
        return WireMessage.TaskResult(task: task, outcome: outcome, finishedAt: finished)
    }

    /// The entry this row holds; throws when the stored text does not decode.
    func entry() throws -> OutboxEntry {
        OutboxEntry(result: try message(), collectionID: collectionID, refusedReason: refusedReason)
    }
}

/// A stored row that does not decode.
struct OutboxRowError: Error, CustomStringConvertible {
    let task: TaskRef
    let reason: String
    var description: String { "row \(task): \(reason)" }
}

/// The JSON text of an outbox row's outcome: BenchJSON's writer and reader, the agent's only JSON code.
enum OutboxCoding {
    /// The text stored for `outcome`; throws for a number JSON cannot spell (NaN, infinity).
    static func text(of outcome: JSONValue) throws(JSONWriteError) -> String {
        String(decoding: try JSONWriter.bytes(outcome), as: UTF8.self)
    }

    /// The outcome of a stored text (also the text of earlier versions: any valid JSON).
    static func outcome(fromText text: String) throws(JSONReadError) -> JSONValue {
        try JSONReader.value(from: Array(text.utf8))
    }
}
