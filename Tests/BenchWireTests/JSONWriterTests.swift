import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOCore
import Testing

/// The writer's bytes against `JSONEncoder` with the codec's options, on the cases where spellings could drift.
@Suite("JSONWriter")
struct JSONWriterTests {
    private func written(_ value: JSONValue) throws -> String {
        var buffer = ByteBuffer()
        try JSONWriter.write(value, into: &buffer)
        return String(buffer: buffer)
    }

    private func encoded(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("numbers are spelled as JSONEncoder spells them")
    func numbers() throws {
        let numbers: [Double] = [
            0, -0.0, 1, -1, 0.1, -2.5, 1e-5, 1e-7, 123.456, 1e15, 1e16, 9_007_199_254_740_991, 9_007_199_254_740_992,
            9_007_199_254_740_994, -9_007_199_254_740_991, 1e21, 1e22, 1e23, .leastNonzeroMagnitude,
            .leastNormalMagnitude, Double.leastNormalMagnitude.nextDown,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0.30000000000000004, 4_294_967_296.5,
        ]
        for number in numbers {
            #expect(try written(.number(number)) == (try encoded(.number(number))), "\(number)")
        }
        #expect(try written([1, 2.5, -0.0, 1e-5, 1e16]) == "[1,2.5,-0,1e-05,1e+16]")
    }

    @Test("strings escape quote, backslash and every control character as JSONEncoder does; / and unicode stay")
    func strings() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        for text in [controls, "\"\\/", "é e\u{301} 中 😀 \u{7F} \u{2028} \u{FFFF}", "", "plain"] {
            #expect(try written(.string(text)) == (try encoded(.string(text))), "\(text.debugDescription)")
        }
        #expect(try written("a\u{01}\u{1F}\n\"/") == #""a\u0001\u001f\n\"/""#)
    }

    @Test("object members are sorted by the UTF-8 bytes of their keys")
    func keyOrder() throws {
        let value: JSONValue = [
            "b": 1, "a": 2, "B": 3, "é": 4, "f": 5, "_": 6, "aa": 7, "": 8, "😀": 9, "\u{7F}": 10,
        ]
        #expect(try written(value) == (try encoded(value)))
        #expect(try written(value).hasPrefix(#"{"":8,"B":3,"_":6,"a":2,"aa":7,"b":1,"f":5,"\#u{7F}":10,"é":4"#))
    }

    @Test("NaN and infinities are refused")
    func nonFinite() {
        #expect(throws: JSONWriteError.nonFiniteNumber(.infinity)) { try written(["x": .number(.infinity)]) }
        #expect(throws: JSONWriteError.self) { try written([.number(.nan)]) }
    }

    @Test("511 levels of nesting are written, 512 are refused (as JSONEncoder)")
    func depth() throws {
        var nested: JSONValue = []
        for _ in 1..<511 { nested = [nested] }
        #expect(try written(nested) == (try encoded(nested)))
        #expect(throws: JSONWriteError.tooDeep) { try written([nested]) }
        #expect(throws: (any Error).self) { try encoded([nested]) }
    }
}
