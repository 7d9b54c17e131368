/// Why ``JSONReader`` refused a JSON text: what was wrong and at which byte offset of the input.
public struct JSONReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Hashable {
        /// The text ended inside a value (or was empty).
        case unexpectedEnd
        /// A byte that cannot start or continue a value here.
        case unexpectedByte(UInt8)
        /// A string holds bytes that are not UTF-8 (overlong forms and encoded surrogates included).
        case invalidUTF8
        /// A string holds an unescaped control character (U+0000 to U+001F).
        case controlCharacterInString
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        case invalidEscape
        /// A `\u` escape of a UTF-16 surrogate that is not half of a high–low pair.
        case loneSurrogate
        /// A number with a leading zero, such as `01` or `-00`.
        case leadingZero
        /// A number too large for a `Double` (`1e400`), or a non-zero number that rounds to zero (`1e-400`), or a
        /// zero spelled with an exponent (`0e5`): Foundation's `JSONDecoder` refuses the first two and some
        /// spellings of the third.
        case numberNotRepresentable
        /// Arrays and objects nested deeper than ``JSONReader/maximumDepth``.
        case tooDeep
        /// Something other than whitespace follows the top-level value.
        case trailingContent
    }

    /// What was wrong.
    public let reason: Reason
    /// Offset of the offending byte (or of the end) from the start of the text.
    public let offset: Int

    /// Creates an error.
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "unexpected end of JSON text"
        case .unexpectedByte(let byte):
            what = byte >= 0x20 && byte < 0x7F
                ? "unexpected character '\(Character(Unicode.Scalar(byte)))'"
                : "unexpected byte 0x\(String(byte, radix: 16, uppercase: true))"
        case .invalidUTF8: what = "string is not valid UTF-8"
        case .controlCharacterInString: what = "unescaped control character in string"
        case .invalidEscape: what = "invalid escape sequence in string"
        case .loneSurrogate: what = "unpaired UTF-16 surrogate escape in string"
        case .leadingZero: what = "number with a leading zero"
        case .numberNotRepresentable: what = "number is not representable as a Double"
        case .tooDeep: what = "arrays and objects nested more than \(JSONReader.maximumDepth) deep"
        case .trailingContent: what = "content after the JSON value"
        }
        return "\(what) at byte \(offset)"
    }
}
