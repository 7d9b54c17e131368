import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOCore
import Testing

/// The strict reader on the tricky corners of RFC 8259, each compared with what `JSONDecoder` makes of the same
/// bytes: where the reader accepts, `JSONDecoder` must accept the same value; where it refuses, so must
/// `JSONDecoder` (except the documented tolerances of `JSONDecoder` checked in their own test).
@Suite("JSONReader")
struct JSONReaderTests {
    private func read(_ bytes: [UInt8]) -> Result<JSONValue, JSONReadError> {
        Result { () throws(JSONReadError) in try JSONReader.value(from: ByteBuffer(bytes: bytes)) }
    }

    private func foundation(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// Reads `text`, checks agreement with `JSONDecoder`, and returns the reader's result.
    @discardableResult
    private func check(
        _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
    ) -> Result<JSONValue, JSONReadError> {
        let result = read(bytes)
        switch result {
        case .success(let value): #expect(foundation(bytes) == value, sourceLocation: sourceLocation)
        case .failure: #expect(foundation(bytes) == nil, sourceLocation: sourceLocation)
        }
        return result
    }

    @discardableResult
    private func check(
        _ text: String, sourceLocation: SourceLocation = #_sourceLocation
    ) -> Result<JSONValue, JSONReadError> {
        check(Array(text.utf8), sourceLocation: sourceLocation)
    }

    private func reason(_ result: Result<JSONValue, JSONReadError>) -> JSONReadError.Reason? {
        guard case .failure(let error) = result else { return nil }
        return error.reason
    }

    @Test("surrogate pairs combine; lone or mismatched surrogates are refused")
    func surrogates() {
        #expect(check(#"["\ud83d\ude00"]"#) == .success(["😀"]))
        #expect(check(#"["\uD83D\uDE00"]"#) == .success(["😀"]))
        #expect(reason(check(#"["\ud800"]"#)) == .loneSurrogate)
        #expect(reason(check(#"["\udc00"]"#)) == .loneSurrogate)
        #expect(reason(check(#"["\ud83d\u0041"]"#)) == .loneSurrogate)
        #expect(reason(check(#"["\ud83dx"]"#)) == .loneSurrogate)
        #expect(reason(check(#"["\ude00\ud83d"]"#)) == .loneSurrogate)
    }

    @Test("invalid UTF-8 is refused: stray bytes, overlong forms, encoded surrogates, beyond U+10FFFF, truncation")
    func invalidUTF8() {
        for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]] {
            #expect(reason(check([0x5B, 0x22] + bad + [0x22, 0x5D])) == .invalidUTF8, "\(bad)")
            #expect(reason(check([0x5B, 0x22, 0x5C, 0x6E] + bad + [0x22, 0x5D])) == .invalidUTF8, "escaped \(bad)")
        }
        #expect(check(Array("[\"é中😀\u{7F}\u{FFFF}\"]".utf8)) == .success(["é中😀\u{7F}\u{FFFF}"]))
    }

    @Test("escapes: all of RFC 8259's, nothing else; raw control characters are refused")
    func escapes() {
        #expect(check(#"["\"\\\/\b\f\n\r\t\u0000\u00e9"]"#) == .success(["\"\\/\u{08}\u{0C}\n\r\t\u{00}é"]))
        #expect(reason(check(#"["\x"]"#)) == .invalidEscape)
        #expect(reason(check(#"["\u00G0"]"#)) == .invalidEscape)
        #expect(reason(check(#"["\'"]"#)) == .invalidEscape)
        #expect(reason(check("[\"a\u{01}b\"]")) == .controlCharacterInString)
        #expect(reason(check("[\"a\tb\"]")) == .controlCharacterInString)
        #expect(reason(check(#"["\u00"]"#)) != nil)
    }

    @Test("nesting: 512 levels are read, 513 are refused (as JSONDecoder)")
    func depth() {
        let arrays512 = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect((try? check(arrays512).get()) != nil)
        let arrays513 = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(reason(check(arrays513)) == .tooDeep)
        let objects513 = String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513)
        #expect(reason(check(objects513)) == .tooDeep)
    }

    @Test("whitespace is space, tab, LF, CR only; nothing may follow the value")
    func whitespaceAndTrailing() {
        #expect(check(" \t\r\n[1 , 2]\n ") == .success([1, 2]))
        #expect(reason(check("\u{0C}[1]")) == .unexpectedByte(0x0C))
        #expect(reason(check("\u{A0}[1]")) == .unexpectedByte(0xC2))
        #expect(reason(check("[1] x")) == .trailingContent)
        #expect(reason(check("[1]\u{0}")) == .trailingContent)
        #expect(reason(check("[1][2]")) == .trailingContent)
        #expect(reason(check("")) == .unexpectedEnd)
        #expect(reason(check("[1")) == .unexpectedEnd)
        #expect(reason(check(#"{"a"}"#)) == .unexpectedByte(UInt8(ascii: "}")))
        #expect(reason(check("tru")) == .unexpectedEnd)
        #expect(reason(check("nul1")) == .unexpectedByte(UInt8(ascii: "1")))
    }

    @Test("number grammar: no leading zeros, +, bare dots, NaN or Infinity; -0 keeps its sign")
    func numberGrammar() throws {
        for text in ["01", "-01", "00", "-00"] { #expect(reason(check("[\(text)]")) == .leadingZero, "\(text)") }
        for text in ["+1", ".5", "5.", "1e", "1e+", "-", "--1", "NaN", "Infinity", "-Infinity", "0x10", "1.e2"] {
            #expect(reason(check("[\(text)]")) != nil, "\(text)")
        }
        let negativeZero = try check("-0").get()
        #expect(negativeZero.doubleValue?.sign == .minus)
        #expect(try check("[0, -0.0, 0.000, 10, -7, 1E2, 1e-2, 2.5E+3, 0.1, 123456.789e-3]").get()
            == [0, 0, 0, 10, -7, 100, 0.01, 2500, 0.1, 123.456789])
    }

    @Test("number range: overflow and underflow to zero are refused like JSONDecoder; subnormals are read")
    func numberRange() throws {
        for text in ["1e400", "-1e400", "1.7976931348623159e308", "1e-400", "2e-324", "100e-400",
                     "0." + String(repeating: "0", count: 400) + "1", "1" + String(repeating: "0", count: 400)] {
            #expect(reason(check("[\(text)]")) == .numberNotRepresentable, "\(text.prefix(30))")
        }
        #expect(try check("[4.9e-324]").get() == [.number(.leastNonzeroMagnitude)])
        #expect(try check("[2.4703282292062328e-324]").get() == [.number(.leastNonzeroMagnitude)])
        #expect(try check("[1.7976931348623157e308]").get() == [.number(.greatestFiniteMagnitude)])
        let subnormals = try check("[2.2250738585072011e-308, 1e-320]").get()
        #expect(subnormals == [.number(Double.leastNormalMagnitude.nextDown), .number(Double(bitPattern: 2_024))])
    }

    @Test("long and tricky mantissas round correctly (same double as JSONDecoder)")
    func correctRounding() throws {
        let texts = [
            "9007199254740993", "9007199254740992.5", "0.30000000000000004", "2.2250738585072012e-308",
            "1.00000000000000011102230246251565404236316680908203125", "123456789012345678901234567890",
            "1.00000000000000000000000000000000000001", "7.0e-10", "3.14159265358979323846264338327950288",
            "17976931348623157" + String(repeating: "0", count: 292), "4.35679972e-06", "1e23", "8.41e21",
        ]
        for text in texts {
            #expect((try? check("[\(text)]").get()) != nil, "\(text.prefix(30))")
        }
    }

    @Test("duplicate keys: the first wins, as with JSONDecoder (canonically equivalent keys included)")
    func duplicateKeys() throws {
        #expect(try check(#"{"a":1,"a":2}"#).get() == ["a": 1])
        #expect(try check(#"{"\u00e9":1,"e\u0301":2}"#).get() == ["é": 1])
        #expect(try check(#"{"a":{"b":1},"a":"x","c":[]}"#).get() == ["a": ["b": 1], "c": []])
    }

    @Test("JSONDecoder's tolerances the strict reader does not share (the codec leaves these to Codable)")
    func documentedDifferences() {
        for text in ["[1,]", #"{"a":1,}"#, "\u{FEFF}[1]", "[0e400]", "[0.0e-1]"] {
            #expect(reason(read(Array(text.utf8))) != nil, "\(text)")
            #expect(foundation(Array(text.utf8)) != nil, "\(text)")
        }
    }

    @Test("errors say what and where")
    func errorDescriptions() {
        #expect(JSONReadError(.leadingZero, at: 3).description == "number with a leading zero at byte 3")
        #expect(JSONReadError(.unexpectedByte(0x7D), at: 0).description == "unexpected character '}' at byte 0")
        #expect(JSONReadError(.unexpectedByte(0x01), at: 9).description == "unexpected byte 0x1 at byte 9")
    }
}
