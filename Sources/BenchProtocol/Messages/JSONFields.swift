import BenchJSON

/// Typed reads of one message object's members (``JSONMembers``), refusing with a ``WireError`` that names the
/// message type and the member's path (`running[1].task_id`).
typealias JSONFields = JSONMembers<WireError>

extension WireError: JSONMemberRefusal {
    static func missing(_ messageType: String, member: String) -> WireError {
        .missingField(type: messageType, field: member)
    }

    static func invalid(_ messageType: String, member: String, reason: String) -> WireError {
        .invalidField(type: messageType, field: member, reason: reason)
    }
}

extension JSONMembers where Refusal == WireError {
    /// The members of `value`, or throws that the member at `path` of a `messageType` message is not an object.
    init(_ value: JSONValue, messageType: String, path: String) throws(WireError) {
        try self.init(value, source: messageType, path: path)
    }

    /// The message type, for errors.
    var messageType: String { source }

    /// A required task reference member (`task_id` non-empty, `attempt` at least 1).
    func taskRef(_ key: String) throws(WireError) -> TaskRef {
        try TaskRef(json: required(key), messageType: messageType, path: field(key))
    }

    /// An optional task reference member: nil when absent or `null`.
    func optionalTaskRef(_ key: String) throws(WireError) -> TaskRef? {
        guard let value = optional(key) else { return nil }
        return try TaskRef(json: value, messageType: messageType, path: field(key))
    }

    /// A required array of task references.
    func taskRefs(_ key: String) throws(WireError) -> [TaskRef] {
        try array(key) { element, elementPath throws(WireError) in
            try TaskRef(json: element, messageType: messageType, path: elementPath)
        }
    }

    /// A required ISO-8601 timestamp member.
    func timestamp(_ key: String) throws(WireError) -> WireTimestamp {
        guard let timestamp = WireTimestamp(rawValue: try string(key)) else {
            throw invalid(key, "not an ISO-8601 date-time such as 2025-03-01T12:00:00Z")
        }
        return timestamp
    }
}

extension TaskRef {
    /// Reads a task reference object found at `path` of a `messageType` message.
    init(json: JSONValue, messageType: String, path: String) throws(WireError) {
        let fields = try JSONFields(json, messageType: messageType, path: path)
        let taskID = try fields.nonEmptyString("task_id")
        let attempt = try fields.int("attempt")
        guard attempt >= 1 else { throw fields.invalid("attempt", "must be at least 1") }
        self.init(taskID: taskID, attempt: attempt)
    }
}

extension JSONValue {
    /// What kind of JSON value this is, for error reasons (`a string`, `null`).
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "true or false"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// A number as the writer spells it (`1.5`, `1e+300`).
    var numberText: String {
        guard case .number(let number) = self else { return kindName }
        var output: [UInt8] = []
        do {
            try JSONWriter.writeNumber(number, into: &output)
        } catch {
            return "\(number)"
        }
        return String(decoding: output, as: UTF8.self)
    }
}
