import BenchJSON
@testable import BenchProtocol
import BenchWire
import Foundation
import Testing

/// `WireTimestamp` accepts exactly what `Date.ISO8601FormatStyle(includingFractionalSeconds: true)` parses; the
/// hand-checked plain UTC form must be a subset of that.
@Suite("WireTimestamp validation")
struct WireTimestampTests {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    @Test("near-miss and valid timestamps: accepted exactly when the ISO-8601 format style parses them")
    func agreesWithFormatStyle() {
        var random = SplitMix64(seed: 0x7469_6D65)
        let years = ["0999", "1000", "1900", "2000", "2024", "2025", "2100", "9999", "20a5"]
        let fractions = ["", ".", ".5", ".250", ".123456", ".123456789", ".1234567890", ".25a"]
        let zones = ["Z", "Z", "Z", "z", "+00:00", "+01:00", "", "ZZ"]
        let separators: [(String, String)] = [("-", "T"), ("-", "T"), ("-", "T"), ("/", "T"), ("-", "t"), ("-", " ")]
        var plain = 0
        for _ in 0..<5_000 {
            let (dash, t) = separators[random.next(below: separators.count)]
            let text = years[random.next(below: years.count)] + dash + two(random.next(below: 14)) + dash
                + two(random.next(below: 33)) + t + two(random.next(below: 25)) + ":" + two(random.next(below: 61))
                + ":" + two(random.next(below: 62)) + fractions[random.next(below: fractions.count)]
                + zones[random.next(below: zones.count)]
            let styleAccepts = (try? Self.style.parse(text)) != nil
            #expect((WireTimestamp(rawValue: text) != nil) == styleAccepts, "\(text)")
            if WireTimestamp.isPlainUTC(text) {
                plain += 1
                #expect(styleAccepts, "hand check accepted \(text)")
            }
        }
        #expect(plain > 100)
    }

    @Test("what agents send takes the hand-checked path")
    func agentTimestamps() {
        for seconds in stride(from: 0.0, to: 4_000_000_000, by: 97_654_321.123) {
            let stamp = WireTimestamp(Date(timeIntervalSince1970: seconds))
            #expect(WireTimestamp.isPlainUTC(stamp.rawValue), "\(stamp)")
        }
        #expect(WireTimestamp.isPlainUTC("2024-02-29T23:59:59Z"))
        #expect(!WireTimestamp.isPlainUTC("2023-02-29T12:00:00Z"))
        #expect(!WireTimestamp.isPlainUTC("2025-04-31T12:00:00.1Z"))
        #expect(!WireTimestamp.isPlainUTC("2025-03-01T24:00:00Z"))
    }

    private func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
