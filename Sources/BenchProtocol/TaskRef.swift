import BenchJSON
/// One attempt of one task: the unit the coordinator assigns, leases and acknowledges.
///
/// JSON: `{"task_id": "baseline-1-1-US", "attempt": 1}`. `task_id` is non-empty; `attempt` counts from 1 and grows
/// each time the coordinator re-assigns the task after losing an attempt.
public struct TaskRef: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The task's stable identifier (for baseline jobs `baseline-{day}-{config}-{country}`).
    public var taskID: String
    /// The attempt number, starting at 1.
    public var attempt: Int

    /// Creates a reference to attempt `attempt` of task `taskID`.
    public init(taskID: String, attempt: Int) {
        self.taskID = taskID
        self.attempt = attempt
    }

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case attempt
    }

    /// Decodes and validates a reference (non-empty id, attempt at least 1).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.taskID = try container.decode(String.self, forKey: .taskID)
        self.attempt = try container.decode(Int.self, forKey: .attempt)
        try container.require(!taskID.isEmpty, .taskID, "must not be empty")
        try container.require(attempt >= 1, .attempt, "must be at least 1")
    }

    public var description: String { "\(taskID)#\(attempt)" }
}
