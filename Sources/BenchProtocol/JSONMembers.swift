import BenchJSON

/// How a document refuses a member: the error type of the messages (``WireError``) or of the check documents
/// (``CheckWireError``), made from the document's name (`source`) and the member's path (`running[1].task_id`).
protocol JSONMemberRefusal: Error {
    /// What names the document in the error (the message type, or which check document).
    associatedtype Source: Sendable
    /// A required member that is absent.
    static func missing(_ source: Source, member: String) -> Self
    /// A member whose value is not acceptable; `member` is `""` when the document itself is not an object.
    static func invalid(_ source: Source, member: String, reason: String) -> Self
}

/// Typed reads of one JSON object's members: the one place where the JSON types of the wire's documents (each
/// message and the check documents inside them) are checked. Every read returns the value or throws the document's
/// ``JSONMemberRefusal`` naming the member's path and what was expected.
///
/// Required members refuse absence and `null`; optional ones read both as nil. Integers are numbers with an
/// integral value below 2^53 in magnitude (so every digit was exact). Messages read through ``JSONFields``, the
/// check documents through ``CheckFields``.
struct JSONMembers<Refusal: JSONMemberRefusal> {
    /// The object's members.
    let members: [String: JSONValue]
    /// What names the document in errors.
    let source: Refusal.Source
    /// The path of this object inside the document (`""` for the document itself, `task`, `running[1]`).
    let path: String

    /// The members of `value`, or throws that the object at `path` is not one.
    init(_ value: JSONValue, source: Refusal.Source, path: String = "") throws(Refusal) {
        guard case .object(let members) = value else {
            throw Refusal.invalid(source, member: path, reason: "expected an object, got \(value.kindName)")
        }
        self.members = members
        self.source = source
        self.path = path
    }

    /// The path of member `key`.
    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The error for member `key` holding an unacceptable value.
    func invalid(_ key: String, _ reason: String) -> Refusal {
        Refusal.invalid(source, member: field(key), reason: reason)
    }

    /// The error for the element at `elementPath` (a full path, `samples[1]`).
    func invalidElement(_ elementPath: String, _ reason: String) -> Refusal {
        Refusal.invalid(source, member: elementPath, reason: reason)
    }

    /// A required member of any JSON type; `null` is refused.
    func required(_ key: String) throws(Refusal) -> JSONValue {
        switch members[key] {
        case nil: throw Refusal.missing(source, member: field(key))
        case .null?: throw invalid(key, "must not be null")
        case let value?: return value
        }
    }

    /// A required member of any JSON type, `null` included (the payload of `assign`, the outcome of `result`).
    func value(_ key: String) throws(Refusal) -> JSONValue {
        guard let value = members[key] else { throw Refusal.missing(source, member: field(key)) }
        return value
    }

    /// An optional member: nil when absent or `null`.
    func optional(_ key: String) -> JSONValue? {
        switch members[key] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    /// A required nested object.
    func object(_ key: String) throws(Refusal) -> JSONMembers {
        try JSONMembers(required(key), source: source, path: field(key))
    }

    /// An optional nested object: nil when absent or `null`.
    func optionalObject(_ key: String) throws(Refusal) -> JSONMembers? {
        guard let value = optional(key) else { return nil }
        return try JSONMembers(value, source: source, path: field(key))
    }

    /// A required string member.
    func string(_ key: String) throws(Refusal) -> String {
        try string(required(key), key)
    }

    /// A required non-empty string member.
    func nonEmptyString(_ key: String) throws(Refusal) -> String {
        let text = try string(key)
        guard !text.isEmpty else { throw invalid(key, "must not be empty") }
        return text
    }

    /// An optional string member: nil when absent or `null`.
    func optionalString(_ key: String) throws(Refusal) -> String? {
        guard let value = optional(key) else { return nil }
        return try string(value, key)
    }

    /// A required number member.
    func double(_ key: String) throws(Refusal) -> Double {
        try double(required(key), key)
    }

    /// An optional number member: nil when absent or `null`.
    func optionalDouble(_ key: String) throws(Refusal) -> Double? {
        guard let value = optional(key) else { return nil }
        return try double(value, key)
    }

    /// A required integer member: a number with an integral value below 2^53 in magnitude. `1.5`, `1e300` and
    /// `"1"` are refused with a reason that says an integer is expected.
    func int(_ key: String) throws(Refusal) -> Int {
        try integer(required(key)) { reason in invalid(key, reason) }
    }

    /// An optional integer member: nil when absent or `null`.
    func optionalInt(_ key: String) throws(Refusal) -> Int? {
        guard let value = optional(key) else { return nil }
        return try integer(value) { reason in invalid(key, reason) }
    }

    /// An optional boolean member: nil when absent or `null`.
    func optionalBool(_ key: String) throws(Refusal) -> Bool? {
        switch optional(key) {
        case nil: return nil
        case .bool(let flag)?: return flag
        case let value?: throw invalid(key, "expected true or false, got \(value.kindName)")
        }
    }

    /// A required string member that must be one of the raw values of `Value`.
    func enumeration<Value: RawRepresentable & CaseIterable>(_ key: String, as _: Value.Type) throws(Refusal) -> Value
    where Value.RawValue == String {
        let text = try string(key)
        guard let value = Value(rawValue: text) else {
            let known = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw invalid(key, "'\(text.prefix(64))' is not one of \(known)")
        }
        return value
    }

    /// A required array member, each element read by `read` (given the element and its path).
    func array<Element>(_ key: String, _ read: (JSONValue, String) throws(Refusal) -> Element) throws(Refusal)
        -> [Element]
    {
        try elements(of: required(key), key, read)
    }

    /// An optional array member: empty when absent or `null`.
    func optionalArray<Element>(_ key: String, _ read: (JSONValue, String) throws(Refusal) -> Element)
        throws(Refusal) -> [Element]
    {
        guard let value = optional(key) else { return [] }
        return try elements(of: value, key, read)
    }

    /// A required array of strings.
    func strings(_ key: String) throws(Refusal) -> [String] {
        try array(key) { element, elementPath throws(Refusal) in try Self.string(element, at: elementPath, self) }
    }

    /// An optional array of strings: nil when absent or `null`.
    func optionalStrings(_ key: String) throws(Refusal) -> [String]? {
        guard let value = optional(key) else { return nil }
        return try elements(of: value, key) { element, elementPath throws(Refusal) in
            try Self.string(element, at: elementPath, self)
        }
    }

    /// A required array of integers.
    func ints(_ key: String) throws(Refusal) -> [Int] {
        try array(key) { element, elementPath throws(Refusal) in
            try integer(element) { reason in invalidElement(elementPath, reason) }
        }
    }

    /// A required object member whose members are all strings.
    func stringDictionary(_ key: String) throws(Refusal) -> [String: String] {
        let nested = try object(key)
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

    /// `number` as an integer if it is integral and below 2^53 in magnitude (so every digit was exact).
    static func exactInteger(_ number: Double) -> Int? {
        guard number.magnitude < 9_007_199_254_740_992, number.rounded(.towardZero) == number else { return nil }
        return Int(number)
    }

    private func elements<Element>(
        of value: JSONValue, _ key: String, _ read: (JSONValue, String) throws(Refusal) -> Element
    ) throws(Refusal) -> [Element] {
        guard case .array(let elements) = value else {
            throw invalid(key, "expected an array, got \(value.kindName)")
        }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            result.append(try read(element, "\(field(key))[\(index)]"))
        }
        return result
    }

    private func string(_ value: JSONValue, _ key: String) throws(Refusal) -> String {
        guard case .string(let text) = value else { throw invalid(key, "expected a string, got \(value.kindName)") }
        return text
    }

    private func double(_ value: JSONValue, _ key: String) throws(Refusal) -> Double {
        guard case .number(let number) = value else { throw invalid(key, "expected a number, got \(value.kindName)") }
        return number
    }

    private static func string(_ element: JSONValue, at elementPath: String, _ fields: JSONMembers) throws(Refusal)
        -> String
    {
        guard case .string(let text) = element else {
            throw fields.invalidElement(elementPath, "expected a string, got \(element.kindName)")
        }
        return text
    }

    /// `value` as an exact integer, or the error `refusal` makes of the reason.
    private func integer(_ value: JSONValue, _ refusal: (String) -> Refusal) throws(Refusal) -> Int {
        guard case .number(let number) = value else { throw refusal("expected an integer, got \(value.kindName)") }
        guard number.rounded(.towardZero) == number else {
            throw refusal("expected an integer, got the fraction \(value.numberText)")
        }
        guard let integer = Self.exactInteger(number) else {
            throw refusal("expected an integer below 2^53 in magnitude, got \(value.numberText)")
        }
        return integer
    }
}
