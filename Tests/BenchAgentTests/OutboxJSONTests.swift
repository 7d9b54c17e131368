@testable import BenchAgent
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

@Suite("Outbox JSON text (BenchJSON, and the rows of earlier versions)")
struct OutboxJSONTests {
    /// A random JSON value from a seeded generator: numbers of every kind, strings with escapes and non-ASCII.
    static func randomValue(_ generator: inout SplitMix64, depth: Int = 0) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2:
            switch Int.random(in: 0..<5, using: &generator) {
            case 0: return .number(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)))
            case 1: return .number(Double.random(in: -1e6...1e6, using: &generator))
            case 2: return .number(Double.random(in: 0...1e-6, using: &generator))
            case 3: return .number(9_007_199_254_740_992 * 4)
            default: return .number(Double.random(in: 1e300...1.7e308, using: &generator))
            }
        case 3:
            let alphabet = Array("ab\"\\/\n\r\t\u{0}\u{1f} é漢字😀".unicodeScalars)
            let length = Int.random(in: 0..<12, using: &generator)
            var text = String.UnicodeScalarView()
            for _ in 0..<length { text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]) }
            return .string(String(text))
        case 4:
            return .array((0..<Int.random(in: 0..<4, using: &generator)).map { _ in
                randomValue(&generator, depth: depth + 1)
            })
        default:
            var members: [String: JSONValue] = [:]
            for index in 0..<Int.random(in: 0..<4, using: &generator) {
                members["k\(index)\"\\é"] = randomValue(&generator, depth: depth + 1)
            }
            return .object(members)
        }
    }

    @Test("every value written reads back equal (2,000 seeded random values)")
    func roundTrip() throws {
        var generator = SplitMix64(state: 20_251_129)
        for _ in 0..<2_000 {
            let value = Self.randomValue(&generator)
            let text = try OutboxCoding.text(of: value)
            #expect(try OutboxCoding.outcome(fromText: text) == value, "\(text)")
        }
    }

    @Test("text the outbox of earlier versions wrote reads back as the value it held (2,000 seeded random values)")
    func readsEarlierVersionsText() throws {
        var generator = SplitMix64(state: 20_261_206)
        for _ in 0..<2_000 {
            let value = Self.randomValue(&generator)
            let legacy = try LegacyCompactJSON.text(value)
            let read = try OutboxCoding.outcome(fromText: legacy)
            // The old writer spelled negative zero `0`: the only value it did not keep.
            #expect(read == value || read == Self.withoutNegativeZero(value), "\(legacy)")
        }
        #expect(try OutboxCoding.outcome(fromText: LegacyCompactJSON.text([1, 2.5, -0.0, 1e-5, "\u{1}"]))
            == [1, 2.5, 0, 1e-5, "\u{1}"])
    }

    static func withoutNegativeZero(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let number) where number == 0: .number(0)
        case .array(let elements): .array(elements.map(withoutNegativeZero))
        case .object(let members): .object(members.mapValues(withoutNegativeZero))
        default: value
        }
    }

    @Test("integral numbers are written as integers, NaN and infinity are refused")
    func numbers() throws {
        #expect(try OutboxCoding.text(of: [1, 2.5, 1e-5, "x"]) == "[1,2.5,1e-05,\"x\"]")
        #expect(throws: JSONWriteError.self) { try OutboxCoding.text(of: .number(.nan)) }
        #expect(throws: JSONWriteError.self) { try OutboxCoding.text(of: ["a": .number(-.infinity)]) }
    }
}
