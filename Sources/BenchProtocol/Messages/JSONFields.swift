import BenchJSON
/// Typed reads of a parsed JSON object's members under the rules of the Codable initializers (`JSONDecoder`'s
/// `Int` accepts any number with an exact integral value, `decodeIfPresent` treats `null` like absence, ...).
///
/// Every read answers `nil` for "not acceptable here"; the fast message decoding then gives up and leaves the
/// verdict and the exact error to the Codable path, so these reads may refuse more than Codable does, never less.
struct JSONFields {
    /// The object's members.
    let members: [String: JSONValue]

    /// The members of `value`, or nil if it is not an object.
    init?(_ value: JSONValue) {
        guard case .object(let members) = value else { return nil }
        self.members = members
    }

    /// A required string member.
    func string(_ key: String) -> String? {
        guard case .string(let text)? = members[key] else { return nil }
        return text
    }

    /// A required non-empty string member.
    func nonEmptyString(_ key: String) -> String? {
        guard let text = string(key), !text.isEmpty else { return nil }
        return text
    }

    /// An optional string member: `.some(nil)` when absent or `null`, nil when of another type.
    func optionalString(_ key: String) -> String?? {
        switch members[key] {
        case nil, .null?: return .some(nil)
        case .string(let text)?: return .some(text)
        default: return nil
        }
    }

    /// An optional number member: `.some(nil)` when absent or `null`, nil when of another type.
    func optionalDouble(_ key: String) -> Double?? {
        switch members[key] {
        case nil, .null?: return .some(nil)
        case .number(let number)?: return .some(number)
        default: return nil
        }
    }

    /// A required integer member. Numbers of 2^53 or more in magnitude are left to Codable, which reads the digits
    /// exactly instead of through a `Double`.
    func int(_ key: String) -> Int? {
        guard case .number(let number)? = members[key] else { return nil }
        return Self.exactInteger(number)
    }

    /// A required member of any JSON type except `null` (left to Codable).
    func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    /// A required object member whose members are all strings.
    func stringDictionary(_ key: String) -> [String: String]? {
        guard case .object(let object)? = members[key] else { return nil }
        var result: [String: String] = [:]
        result.reserveCapacity(object.count)
        for (name, member) in object {
            guard case .string(let text) = member else { return nil }
            result[name] = text
        }
        return result
    }

    /// A required task reference member (`task_id` non-empty, `attempt` at least 1).
    func taskRef(_ key: String) -> TaskRef? {
        guard let value = members[key] else { return nil }
        return Self.taskRef(value)
    }

    /// An optional task reference member: `.some(nil)` when absent or `null`, nil when malformed.
    func optionalTaskRef(_ key: String) -> TaskRef?? {
        switch members[key] {
        case nil, .null?: return .some(nil)
        case let value?: return Self.taskRef(value).map { .some($0) }
        }
    }

    /// An optional array of strings: `.some(nil)` when absent or `null`, nil when of another type.
    func optionalStrings(_ key: String) -> [String]?? {
        switch members[key] {
        case nil, .null?: return .some(nil)
        case .array(let elements)?:
            var texts: [String] = []
            for element in elements {
                guard case .string(let text) = element else { return nil }
                texts.append(text)
            }
            return .some(texts)
        default: return nil
        }
    }

    /// A required array of task references.
    func taskRefs(_ key: String) -> [TaskRef]? {
        guard case .array(let elements)? = members[key] else { return nil }
        var refs: [TaskRef] = []
        refs.reserveCapacity(elements.count)
        for element in elements {
            guard let ref = Self.taskRef(element) else { return nil }
            refs.append(ref)
        }
        return refs
    }

    /// A required ISO-8601 timestamp member.
    func timestamp(_ key: String) -> WireTimestamp? {
        string(key).flatMap(WireTimestamp.init(rawValue:))
    }

    private static func taskRef(_ value: JSONValue) -> TaskRef? {
        guard let fields = JSONFields(value), let taskID = fields.nonEmptyString("task_id"),
            let attempt = fields.int("attempt"), attempt >= 1
        else { return nil }
        return TaskRef(taskID: taskID, attempt: attempt)
    }

    /// `number` as an integer if it is integral and below 2^53 in magnitude (so every digit was exact).
    static func exactInteger(_ number: Double) -> Int? {
        guard number.magnitude < 9_007_199_254_740_992, number.rounded(.towardZero) == number else { return nil }
        return Int(number)
    }
}
