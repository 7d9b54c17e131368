import BenchJSON

/// Typed reads of one JSON object's members for the message decoders: the one place where the wire's JSON types
/// are checked. Every read either returns the value or throws the ``WireError`` that names the message type and
/// the member's path (`running[1].task_id`) and says what was expected.
struct JSONFields {
    /// The object's members.
    let members: [String: JSONValue]
    /// The message type, for errors.
    let messageType: String
    /// The path of this object inside the message (`""` for the message itself, `task`, `running[1]`).
    let path: String

    /// The members of `value`, or throws that the member at `path` is not an object.
    init(_ value: JSONValue, messageType: String, path: String) throws(WireError) {
        guard case .object(let members) = value else {
            throw .invalidField(type: messageType, field: path, reason: "expected an object, got \(value.kindName)")
        }
        self.members = members
        self.messageType = messageType
        self.path = path
    }

    /// The path of member `key`.
    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The error for member `key` holding an unacceptable value.
    func invalid(_ key: String, _ reason: String) -> WireError {
        .invalidField(type: messageType, field: field(key), reason: reason)
    }

    /// A required member of any JSON type; `null` is refused.
    func required(_ key: String) throws(WireError) -> JSONValue {
        switch members[key] {
        case nil: throw .missingField(type: messageType, field: field(key))
        case .null?: throw invalid(key, "must not be null")
        case let value?: return value
        }
    }

    /// A required member of any JSON type, `null` included (the payload of `assign`, the outcome of `result`).
    func value(_ key: String) throws(WireError) -> JSONValue {
        guard let value = members[key] else { throw .missingField(type: messageType, field: field(key)) }
        return value
    }

    /// A required string member.
    func string(_ key: String) throws(WireError) -> String {
        let value = try required(key)
        guard case .string(let text) = value else { throw invalid(key, "expected a string, got \(value.kindName)") }
        return text
    }

    /// A required non-empty string member.
    func nonEmptyString(_ key: String) throws(WireError) -> String {
        let text = try string(key)
        guard !text.isEmpty else { throw invalid(key, "must not be empty") }
        return text
    }

    /// An optional string member: nil when absent or `null`.
    func optionalString(_ key: String) throws(WireError) -> String? {
        switch members[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let value?: throw invalid(key, "expected a string, got \(value.kindName)")
        }
    }

    /// An optional number member: nil when absent or `null`.
    func optionalDouble(_ key: String) throws(WireError) -> Double? {
        switch members[key] {
        case nil, .null?: return nil
        case .number(let number)?: return number
        case let value?: throw invalid(key, "expected a number, got \(value.kindName)")
        }
    }

    /// A required integer member: a number with an integral value below 2^53 in magnitude (so every digit of it
    /// was exact). `1.5`, `1e300` and `"1"` are refused with a reason that says an integer is expected.
    func int(_ key: String) throws(WireError) -> Int {
        let value = try required(key)
        guard case .number(let number) = value else {
            throw invalid(key, "expected an integer, got \(value.kindName)")
        }
        let spelled = value.numberText
        guard number.rounded(.towardZero) == number else {
            throw invalid(key, "expected an integer, got the fraction \(spelled)")
        }
        guard let integer = Self.exactInteger(number) else {
            throw invalid(key, "expected an integer below 2^53 in magnitude, got \(spelled)")
        }
        return integer
    }

    /// A required object member whose members are all strings.
    func stringDictionary(_ key: String) throws(WireError) -> [String: String] {
        let nested = try JSONFields(required(key), messageType: messageType, path: field(key))
        var result: [String: String] = [:]
        result.reserveCapacity(nested.members.count)
        for (name, member) in nested.members {
            guard case .string(let text) = member else {
                throw nested.invalid(name, "expected a string, got \(member.kindName)")
            }
            result[name] = text
        }
        return result
    }

    /// A required task reference member (`task_id` non-empty, `attempt` at least 1).
    func taskRef(_ key: String) throws(WireError) -> TaskRef {
        try TaskRef(json: required(key), messageType: messageType, path: field(key))
    }

    /// An optional task reference member: nil when absent or `null`.
    func optionalTaskRef(_ key: String) throws(WireError) -> TaskRef? {
        switch members[key] {
        case nil, .null?: return nil
        case let value?: return try TaskRef(json: value, messageType: messageType, path: field(key))
        }
    }

    /// An optional array of strings: nil when absent or `null`.
    func optionalStrings(_ key: String) throws(WireError) -> [String]? {
        switch members[key] {
        case nil, .null?: return nil
        case .array(let elements)?:
            var texts: [String] = []
            texts.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                guard case .string(let text) = element else {
                    throw .invalidField(type: messageType, field: "\(field(key))[\(index)]",
                                        reason: "expected a string, got \(element.kindName)")
                }
                texts.append(text)
            }
            return texts
        case let value?: throw invalid(key, "expected an array, got \(value.kindName)")
        }
    }

    /// A required array of task references.
    func taskRefs(_ key: String) throws(WireError) -> [TaskRef] {
        let value = try required(key)
        guard case .array(let elements) = value else { throw invalid(key, "expected an array, got \(value.kindName)") }
        var refs: [TaskRef] = []
        refs.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            refs.append(try TaskRef(json: element, messageType: messageType, path: "\(field(key))[\(index)]"))
        }
        return refs
    }

    /// A required ISO-8601 timestamp member.
    func timestamp(_ key: String) throws(WireError) -> WireTimestamp {
        guard let timestamp = WireTimestamp(rawValue: try string(key)) else {
            throw invalid(key, "not an ISO-8601 date-time such as 2025-03-01T12:00:00Z")
        }
        return timestamp
    }

    /// A required string member that must be one of the raw values of `Value`.
    func enumeration<Value: RawRepresentable & CaseIterable>(_ key: String, as _: Value.Type) throws(WireError) -> Value
    where Value.RawValue == String {
        let text = try string(key)
        guard let value = Value(rawValue: text) else {
            let known = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw invalid(key, "'\(text.prefix(64))' is not one of \(known)")
        }
        return value
    }

    /// `number` as an integer if it is integral and below 2^53 in magnitude (so every digit was exact).
    static func exactInteger(_ number: Double) -> Int? {
        guard number.magnitude < 9_007_199_254_740_992, number.rounded(.towardZero) == number else { return nil }
        return Int(number)
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
