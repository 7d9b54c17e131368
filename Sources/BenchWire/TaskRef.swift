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

/// What an assigned task asks the agent to do.
public enum TaskKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// A baseline training job: `POST /train` with the payload, timed.
    case train
    /// An optimization check of a deployed trainer.
    case check
}

/// The coordinator's verdict on a `result`, sent in `ack` once the verdict is durable.
public enum AckStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// The result was recorded as the task's outcome.
    case committed
    /// The same attempt's result had been recorded before; nothing changed.
    case duplicate
    /// The attempt is no longer the task's current one; the result was stored for audit only.
    case stale
}

/// Why the coordinator refused an agent's `hello`.
///
/// An open set: the known codes are static members, and a code this build does not know still decodes (agents
/// treat any code they do not know like ``notAllowed``).
public struct RejectCode: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The code as it appears on the wire.
    public var rawValue: String

    /// Wraps a code.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The agent's certificate identity is not on the coordinator's allow-list.
    public static let notAllowed = RejectCode(rawValue: "not_allowed")
    /// The agent speaks another protocol version.
    public static let versionMismatch = RejectCode(rawValue: "version_mismatch")
    /// The first frame was not a valid `hello`.
    public static let badHello = RejectCode(rawValue: "bad_hello")
    /// Another connection with the same authenticated identity is already active.
    public static let duplicateAgent = RejectCode(rawValue: "duplicate_agent")
    /// The coordinator is shutting down and accepts no sessions.
    public static let shuttingDown = RejectCode(rawValue: "shutting_down")

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.rawValue = try container.decode(String.self)
        if rawValue.isEmpty {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must not be empty")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
