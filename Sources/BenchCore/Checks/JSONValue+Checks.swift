import BenchJSON
import Foundation

/// How the checks read trainer answers and write request bodies, over BenchJSON's one ``JSONValue`` (numbers and
/// booleans kept apart: `true` is never the number 1).
extension JSONValue {
    /// The body read as a JSON object; nil if it is empty, not JSON (BenchJSON's strict reader), or JSON of another
    /// kind.
    public static func checkObject(from data: Data?) -> [String: JSONValue]? {
        guard let data, !data.isEmpty, let value = try? JSONReader.value(from: Array(data)),
              case .object(let object) = value
        else { return nil }
        return object
    }

    /// Compact JSON text with sorted keys (BenchJSON's writer); `null` for a value JSON cannot spell (a non-finite
    /// number, never built by the checks).
    public func checkData() -> Data {
        (try? JSONWriter.bytes(self)).map { Data($0) } ?? Data("null".utf8)
    }

    /// How the value reads in a report: strings bare, everything else as JSON.
    public var checkText: String {
        switch self {
        case .string(let value): value
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let value): Int(exactly: value).map(String.init) ?? "\(value)"
        case .array, .object: String(decoding: checkData(), as: UTF8.self)
        }
    }
}
