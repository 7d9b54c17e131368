import BenchJSON
/// One attempt of one task: the unit the coordinator assigns, leases and acknowledges.
///
/// JSON: `{"task_id": "baseline-1-1-US", "attempt": 1}`. `task_id` is non-empty; `attempt` counts from 1 and grows
/// each time the coordinator re-assigns the task after losing an attempt.
public struct TaskRef: Sendable, Hashable, CustomStringConvertible {
    /// The task's stable identifier (for baseline jobs `baseline-{day}-{config}-{country}`).
    public var taskID: String
    /// The attempt number, starting at 1.
    public var attempt: Int

    /// Creates a reference to attempt `attempt` of task `taskID`.
    public init(taskID: String, attempt: Int) {
        self.taskID = taskID
        self.attempt = attempt
    }

    public var description: String { "\(taskID)#\(attempt)" }
}
