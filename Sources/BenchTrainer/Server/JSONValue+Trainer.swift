import BenchJSON

/// What the trainer's request validation says about a ``JSONValue`` (BenchJSON's one JSON value enum).
extension JSONValue {
    /// The JSON type name, for error messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// A short text form for comparing identifiers: strings as is, numbers and booleans as written (an integral
    /// number without a fraction: `2`, not `2.0`).
    var identifierText: String? {
        switch self {
        case .string(let value): value
        case .number(let value): Int(exactly: value).map(String.init) ?? String(value)
        case .bool(let value): String(value)
        case .null, .array, .object: nil
        }
    }
}
