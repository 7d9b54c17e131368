import BenchCore
import Foundation
import Testing

/// The exports are written as bytes (no `String` per value) so that a report of 10^6 rows is fast; what they write
/// must not change: byte for byte what the `String` version wrote (``StringExportOracle``), which the seed-comparison
/// tests check against the seed's own Python. Inputs that reach every branch: escapes, non-ASCII, commas and quotes
/// in cells, timestamps before 1970 and with microseconds, floats of every magnitude and sign, trainer figures,
/// A/B targets.
@Suite("Exports: the byte writer equals the String writer")
struct ExportByteIdentityTests {
    /// A deterministic generator (SplitMix64), so a failure names a reproducible input.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let texts = [
        "fr", "baseline-1-1-fr", "small", "agent-7.example.internal", "", "a,b", "say \"hi\"", "line\nbreak",
        "cr\rhere", "tab\there", "back\\slash", "café", "Zürich, CH", "🙂 emoji", "\u{01}control", "del\u{7F}",
        "HTTP 500: trainer error", "timeout after 30 s", "a/b",
    ]

    static func double(_ random: inout SplitMix) -> Double {
        switch random.next() % 12 {
        case 0: 0
        case 1: -0.0
        case 2: Double(Int.random(in: -1000...1000, using: &random))
        case 3: Double.random(in: 0..<1, using: &random)
        case 4: Double.random(in: 0..<1, using: &random) * 1e-6
        case 5: Double.random(in: 0..<1, using: &random) * 1e17
        case 6: Double(sign: .minus, exponent: Int.random(in: -1000...1000, using: &random),
                       significand: Double.random(in: 1..<2, using: &random))
        case 7: [1e16, 1e15, 1e-4, 1e-5, 123456789012345680, 0.1, 2.5e-308, .greatestFiniteMagnitude][
            Int(random.next() % 8)]
        case 8: Double.random(in: 0..<100, using: &random).rounded() / 100
        case 9: [Double.nan, .infinity, -.infinity][Int(random.next() % 3)]
        default: Double.random(in: 0..<5000, using: &random)
        }
    }

    static func metrics(count: Int, seed: UInt64, targets: Bool) -> [BaselineMetric] {
        var random = SplitMix(state: seed)
        func text() -> String { texts[Int(random.next() % UInt64(texts.count))] }
        // Runs of rows share a timestamp, as a day's jobs do (the writer reuses the previous row's text).
        var previous = 0.0
        return (0..<count).map { index in
            let seconds: Double = switch random.next() % 6 {
            case 0: Double(Int.random(in: -4_000_000_000...8_000_000_000, using: &random))
            case 1: Double(Int.random(in: 1_700_000_000...1_800_000_000, using: &random))
                + Double(Int.random(in: 0..<1_000_000, using: &random)) / 1e6
            case 2: Double.random(in: -1e10...1e10, using: &random)
            case 3: 1_767_225_600 + Double(index) * 0.25
            default: index == 0 ? 1_767_225_600 : previous
            }
            previous = seconds
            var figures: [String: Double] = [:]
            for _ in 0..<(random.next() % 4) { figures[["cpu_seconds", "elapsed_seconds", "a,b", "x"][
                Int(random.next() % 4)]] = double(&random) }
            return BaselineMetric(
                timestamp: Date(timeIntervalSince1970: seconds), jobID: text(), jobType: text(),
                iterations: Int.random(in: -5...1_000_000, using: &random), trials: Int(random.next() % 9),
                country: text(), durationMinutes: double(&random), cpuHours: double(&random),
                memoryGBHours: double(&random), costEstimate: double(&random), success: random.next() % 2 == 0,
                errorMessage: random.next() % 3 == 0 ? text() : nil, attempt: Int(random.next() % 4) + 1,
                agent: text(), httpStatus: random.next() % 3 == 0 ? nil : Int(random.next() % 600),
                durationMs: double(&random), trainerFigures: figures,
                target: targets && random.next() % 5 != 0 ? ["baseline", "candidate", "odd,side"][
                    Int(random.next() % 3)] : nil)
        }
    }

    @Test("JSON and CSV of 3,000 varied metrics are byte for byte the String writer's", arguments: [false, true])
    func variedMetrics(targets: Bool) {
        let metrics = Self.metrics(count: 3_000, seed: targets ? 7 : 11, targets: targets)
        #expect(Array(MetricsExport.seedJSON(metrics).utf8) == Array(StringExportOracle.seedJSON(metrics).utf8))
        #expect(Array(MetricsExport.csv(metrics).utf8) == Array(StringExportOracle.csv(metrics).utf8))
    }

    @Test("an empty table, and chunks that concatenate to the whole text")
    func emptyAndChunks() {
        #expect(MetricsExport.seedJSON([]) == StringExportOracle.seedJSON([]))
        #expect(MetricsExport.csv([]) == StringExportOracle.csv([]))
        let metrics = Self.metrics(count: 500, seed: 3, targets: false)
        var chunks: [[UInt8]] = []
        MetricsExport.writeSeedJSON(metrics, chunkBytes: 4096) { chunks.append($0) }
        #expect(chunks.count > 10)
        #expect(chunks.dropLast().allSatisfy { $0.count >= 4096 })
        #expect(chunks.joined().elementsEqual(StringExportOracle.seedJSON(metrics).utf8))
        chunks = []
        MetricsExport.writeCSV(metrics, chunkBytes: 4096) { chunks.append($0) }
        #expect(chunks.count > 5)
        #expect(chunks.joined().elementsEqual(StringExportOracle.csv(metrics).utf8))
    }

    @Test("single values: floats, timestamps and strings as the String writer spells them")
    func singleValues() {
        var random = SplitMix(state: 99)
        for _ in 0..<20_000 {
            let value = Self.double(&random)
            #expect(MetricsExport.pythonFloat(value) == StringExportOracle.pythonFloat(value), "\(value)")
            let date = Date(timeIntervalSince1970: Double.random(in: -7e10...7e10, using: &random))
            #expect(MetricsExport.isoTimestamp(date) == StringExportOracle.isoTimestamp(date), "\(date)")
        }
        for text in Self.texts {
            var metric = Self.metrics(count: 1, seed: 1, targets: true)[0]
            (metric.jobID, metric.errorMessage, metric.agent, metric.target) = (text, text, text, text)
            #expect(MetricsExport.seedJSON([metric]) == StringExportOracle.seedJSON([metric]), "\(text)")
            #expect(MetricsExport.csv([metric]) == StringExportOracle.csv([metric]), "\(text)")
        }
    }
}
