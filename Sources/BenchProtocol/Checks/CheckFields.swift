import BenchJSON

/// Typed reads of one JSON object of a check document (payload or outcome): the one place where the check
/// documents' JSON types are checked. Every read returns the value or throws the ``CheckWireError`` naming the
/// member's path and what was expected.
///
/// Required members refuse absence and `null`; optional ones read both as nil (as the Codable conformances they
/// replace did with `decodeIfPresent`). Integers are numbers with an integral value below 2^53 in magnitude.
struct CheckFields {
    let members: [String: JSONValue]
    let document: CheckWireError.Document
    /// The path of this object inside the document (`""` for the root, `settings`, `samples[1]`).
    let path: String

    /// The members of `value`, or throws that the object at `path` is not one.
    init(_ value: JSONValue, document: CheckWireError.Document, path: String = "") throws(CheckWireError) {
        guard case .object(let members) = value else {
            throw CheckWireError(document: document, member: path.isEmpty ? "(root)" : path,
                                 reason: "expected an object, got \(value.kindName)")
        }
        self.members = members
        self.document = document
        self.path = path
    }

    /// The path of member `key`.
    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The error for member `key` (or an element path below this object).
    func invalid(_ key: String, _ reason: String) -> CheckWireError {
        CheckWireError(document: document, member: field(key), reason: reason)
    }

    /// A required member of any JSON type but `null`.
    func required(_ key: String) throws(CheckWireError) -> JSONValue {
        switch members[key] {
        case nil: throw invalid(key, "missing")
        case .null?: throw invalid(key, "must not be null")
        case let value?: return value
        }
    }

    /// An optional member: nil when absent or `null`.
    func optional(_ key: String) -> JSONValue? {
        switch members[key] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    /// A required nested object.
    func object(_ key: String) throws(CheckWireError) -> CheckFields {
        try CheckFields(required(key), document: document, path: field(key))
    }

    /// An optional nested object: nil when absent or `null`.
    func optionalObject(_ key: String) throws(CheckWireError) -> CheckFields? {
        guard let value = optional(key) else { return nil }
        return try CheckFields(value, document: document, path: field(key))
    }

    func string(_ key: String) throws(CheckWireError) -> String {
        try Self.string(required(key), self, key)
    }

    func optionalString(_ key: String) throws(CheckWireError) -> String? {
        guard let value = optional(key) else { return nil }
        return try Self.string(value, self, key)
    }

    func double(_ key: String) throws(CheckWireError) -> Double {
        try Self.double(required(key), self, key)
    }

    func optionalDouble(_ key: String) throws(CheckWireError) -> Double? {
        guard let value = optional(key) else { return nil }
        return try Self.double(value, self, key)
    }

    func int(_ key: String) throws(CheckWireError) -> Int {
        try Self.int(required(key), self, key)
    }

    func optionalInt(_ key: String) throws(CheckWireError) -> Int? {
        guard let value = optional(key) else { return nil }
        return try Self.int(value, self, key)
    }

    func optionalBool(_ key: String) throws(CheckWireError) -> Bool? {
        switch optional(key) {
        case nil: return nil
        case .bool(let flag)?: return flag
        case let value?: throw invalid(key, "expected true or false, got \(value.kindName)")
        }
    }

    /// A required string member that must be one of the raw values of `Value`.
    func enumeration<Value: RawRepresentable & CaseIterable>(_ key: String, as _: Value.Type)
        throws(CheckWireError) -> Value where Value.RawValue == String
    {
        let text = try string(key)
        guard let value = Value(rawValue: text) else {
            let known = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw invalid(key, "'\(text.prefix(64))' is not one of \(known)")
        }
        return value
    }

    /// A required array member, each element read by `read` (given the element and its path).
    func array<Element>(_ key: String, _ read: (JSONValue, String) throws(CheckWireError) -> Element)
        throws(CheckWireError) -> [Element]
    {
        try Self.elements(of: required(key), self, key, read)
    }

    /// An optional array member: empty when absent or `null`.
    func optionalArray<Element>(_ key: String, _ read: (JSONValue, String) throws(CheckWireError) -> Element)
        throws(CheckWireError) -> [Element]
    {
        guard let value = optional(key) else { return [] }
        return try Self.elements(of: value, self, key, read)
    }

    /// A required array of strings.
    func strings(_ key: String) throws(CheckWireError) -> [String] {
        try array(key) { element, path throws(CheckWireError) in
            guard case .string(let text) = element else {
                throw CheckWireError(document: document, member: path,
                                     reason: "expected a string, got \(element.kindName)")
            }
            return text
        }
    }

    /// A required array of integers.
    func ints(_ key: String) throws(CheckWireError) -> [Int] {
        try array(key) { element, path throws(CheckWireError) in
            try Self.integer(element) { reason in CheckWireError(document: document, member: path, reason: reason) }
        }
    }

    private static func elements<Element>(
        of value: JSONValue, _ fields: CheckFields, _ key: String,
        _ read: (JSONValue, String) throws(CheckWireError) -> Element
    ) throws(CheckWireError) -> [Element] {
        guard case .array(let elements) = value else {
            throw fields.invalid(key, "expected an array, got \(value.kindName)")
        }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            result.append(try read(element, "\(fields.field(key))[\(index)]"))
        }
        return result
    }

    private static func string(_ value: JSONValue, _ fields: CheckFields, _ key: String) throws(CheckWireError)
        -> String
    {
        guard case .string(let text) = value else {
            throw fields.invalid(key, "expected a string, got \(value.kindName)")
        }
        return text
    }

    private static func double(_ value: JSONValue, _ fields: CheckFields, _ key: String) throws(CheckWireError)
        -> Double
    {
        guard case .number(let number) = value else {
            throw fields.invalid(key, "expected a number, got \(value.kindName)")
        }
        return number
    }

    private static func int(_ value: JSONValue, _ fields: CheckFields, _ key: String) throws(CheckWireError) -> Int {
        try integer(value) { reason in fields.invalid(key, reason) }
    }

    /// `value` as an exact integer, or the error `refusal` makes of the reason.
    private static func integer(_ value: JSONValue, _ refusal: (String) -> CheckWireError) throws(CheckWireError)
        -> Int
    {
        guard case .number(let number) = value else { throw refusal("expected an integer, got \(value.kindName)") }
        guard number.rounded(.towardZero) == number else {
            throw refusal("expected an integer, got the fraction \(value.numberText)")
        }
        guard let integer = JSONFields.exactInteger(number) else {
            throw refusal("expected an integer below 2^53 in magnitude, got \(value.numberText)")
        }
        return integer
    }
}
