import Foundation

/// A JSON value as the checks read trainer answers and write request bodies: numbers and booleans kept apart
/// (`true` is never the number 1), objects keyed by string.
public enum CheckJSON: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([CheckJSON])
    case object([String: CheckJSON])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([CheckJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: CheckJSON].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if let integer = Int(exactly: value) { try container.encode(integer) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The body decoded as a JSON object; nil if it is empty, not JSON, or JSON of another kind.
    public static func object(from data: Data?) -> [String: CheckJSON]? {
        guard let data, !data.isEmpty, let value = try? JSONDecoder().decode(CheckJSON.self, from: data),
              case .object(let object) = value
        else { return nil }
        return object
    }

    /// Compact JSON text with sorted keys.
    public func data() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, finite numbers and booleans cannot fail; non-finite numbers are never built here.
        return (try? encoder.encode(self)) ?? Data("null".utf8)
    }

    public subscript(key: String) -> CheckJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The number, if this is one (never a boolean).
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The string, if this is one.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// How the value reads in a report: strings bare, everything else as JSON.
    public var text: String {
        switch self {
        case .string(let value): value
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let value): Int(exactly: value).map(String.init) ?? "\(value)"
        case .array, .object: String(decoding: data(), as: UTF8.self)
        }
    }
}
