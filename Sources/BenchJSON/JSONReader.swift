/// A strict RFC 8259 JSON reader that goes from bytes straight to ``JSONValue``, with no `Decoder` in between.
///
/// It accepts a subset of what Foundation's `JSONDecoder` accepts and, for that subset, produces the same values
/// (``WireCodec`` falls back to `JSONDecoder` for everything this reader refuses, so refusing more is safe):
/// - UTF-8 only, validated (no byte order mark); whitespace is space, tab, line feed and carriage return.
/// - Strings: every escape of RFC 8259; a `\u` surrogate must be half of a high–low pair; unescaped control
///   characters (U+0000–U+001F) are refused.
/// - Numbers: RFC 8259 grammar (no leading zeros, `+`, `.5`, `NaN`, `Infinity`), parsed to the correctly rounded
///   `Double`; a number that overflows to infinity or rounds a non-zero value to zero is refused, as is a zero
///   spelled with an exponent (`0e5`) — see ``JSONReadError/Reason/numberNotRepresentable``.
/// - No trailing commas, comments or content after the top-level value (`JSONDecoder` allows trailing commas).
/// - Arrays and objects may nest ``maximumDepth`` deep, like `JSONDecoder`.
/// - Duplicate object keys (including keys that are canonically equivalent Swift strings): the first one wins,
///   like `JSONDecoder`.
public enum JSONReader {
    /// The deepest nesting of arrays and objects accepted (Foundation's limit).
    public static let maximumDepth = 512

    /// Parses `bytes` as one JSON text.
    public static func value(from bytes: [UInt8]) throws(JSONReadError) -> JSONValue {
        let outcome = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONReadError) -> JSONValue in try value(from: raw) }
        }
        return try outcome.get()
    }

    /// Parses `bytes` as one JSON text.
    public static func value(from bytes: UnsafeRawBufferPointer) throws(JSONReadError) -> JSONValue {
        var parser = JSONParser(bytes: bytes.assumingMemoryBound(to: UInt8.self))
        return try parser.parseDocument()
    }
}
