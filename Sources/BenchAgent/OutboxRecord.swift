import BenchWire
import Foundation
import GRDB

/// One row of the outbox: a finished attempt's `result` message, kept until the coordinator acknowledges it.
struct OutboxRecord: Codable, Sendable, FetchableRecord, TableRecord {
    static let databaseTableName = "outbox_result"

    var taskID: String
    var attempt: Int
    /// The `outcome` as compact JSON text.
    var outcomeJSON: String
    /// The `finished_at` timestamp text.
    var finishedAt: String
    /// Insertion order, so results are resent oldest first.
    var sequence: Int64?

    enum Columns {
        static let taskID = Column(CodingKeys.taskID)
        static let attempt = Column(CodingKeys.attempt)
        static let sequence = Column(CodingKeys.sequence)
    }

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case attempt
        case outcomeJSON = "outcome_json"
        case finishedAt = "finished_at"
        case sequence
    }

    /// The row of `result`, with its outcome encoded once.
    init(_ result: WireMessage.TaskResult) throws {
        taskID = result.task.taskID
        attempt = result.task.attempt
        outcomeJSON = try CompactJSON.text(result.outcome)
        finishedAt = result.finishedAt.rawValue
        sequence = nil
    }

    var task: TaskRef { TaskRef(taskID: taskID, attempt: attempt) }

    /// The `result` message this row holds; throws when the stored text does not decode.
    func message() throws -> WireMessage.TaskResult {
        let outcome = try OutboxCoding.decoder.decode(JSONValue.self, from: Data(outcomeJSON.utf8))
        guard let finished = WireTimestamp(rawValue: finishedAt) else {
            throw OutboxRowError(task: task, reason: "finished_at '\(finishedAt.prefix(40))' is not a timestamp")
        }
        return WireMessage.TaskResult(task: task, outcome: outcome, finishedAt: finished)
    }
}

/// A stored row that does not decode.
struct OutboxRowError: Error, CustomStringConvertible {
    let task: TaskRef
    let reason: String
    var description: String { "row \(task): \(reason)" }
}

/// The JSON decoder of outbox rows (rows are written by ``CompactJSON``).
enum OutboxCoding {
    static let decoder = JSONDecoder()
}
