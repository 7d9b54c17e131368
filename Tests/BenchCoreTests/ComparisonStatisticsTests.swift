import BenchCore
import Foundation
import Testing

/// The reference values of scripts/compare_reference.py (SciPy, or the textbook formula where SciPy has none).
enum CompareReference {
    static let fixtureURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/compare_reference.json")

    /// Read on every use (a `[String: Any]` cannot be a shared static in Swift 6).
    static var root: [String: Any] {
        guard let data = try? Data(contentsOf: fixtureURL),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return object
    }

    static func cases(_ key: String) -> [[String: Any]] { root[key] as? [[String: Any]] ?? [] }
}

extension Dictionary where Key == String, Value == Any {
    func double(_ key: String) -> Double { (self[key] as? NSNumber)?.doubleValue ?? .nan }
    func int(_ key: String) -> Int { (self[key] as? NSNumber)?.intValue ?? -1 }
    func doubles(_ key: String) -> [Double] { (self[key] as? [NSNumber])?.map(\.doubleValue) ?? [] }
    var name: String { self["name"] as? String ?? "?" }
}

/// |a − b| <= absolute + relative·|b|.
func close(_ a: Double, _ b: Double, relative: Double = 1e-9, absolute: Double = 1e-12) -> Bool {
    abs(a - b) <= absolute + relative * abs(b)
}

@Suite("Comparison statistics against SciPy reference values")
struct ComparisonStatisticsTests {
    @Test("the fixture is present and holds every family of cases")
    func fixturePresent() {
        for key in ["mann_whitney", "hodges_lehmann_two_sample", "wilcoxon", "hodges_lehmann_paired", "wilson",
                    "newcombe", "fisher", "holm", "ratio"] {
            #expect(!CompareReference.cases(key).isEmpty, "\(key) missing from \(CompareReference.fixtureURL.path)")
        }
    }

    @Test("normal CDF and quantile match scipy.stats.norm to 1e-12 relative")
    func normal() throws {
        let normal = try #require(CompareReference.root["normal"] as? [String: Any])
        for item in normal["cdf"] as? [[String: Any]] ?? [] {
            let cdf = NormalDistribution.cdf(item.double("x"))
            #expect(close(cdf, item.double("p"), relative: 1e-12, absolute: 1e-300), "cdf(\(item.double("x")))")
        }
        for item in normal["quantile"] as? [[String: Any]] ?? [] {
            #expect(close(NormalDistribution.quantile(item.double("p")), item.double("x"), relative: 1e-12),
                    "quantile(\(item.double("p")))")
        }
        #expect(NormalDistribution.quantile(0) == -.infinity)
        #expect(NormalDistribution.quantile(1.5).isNaN)
    }

    @Test("exact null distributions equal the integer counts of the reference")
    func exactDistributions() throws {
        let exact = try #require(CompareReference.root["exact_distributions"] as? [String: Any])
        for item in exact["mann_whitney"] as? [[String: Any]] ?? [] {
            let counts = (item["counts"] as? [String] ?? []).compactMap(Double.init)
            let ours = ExactDistribution.mannWhitney(item.int("m"), item.int("n"))
            #expect(ours.counts == counts, "U distribution m=\(item.int("m")) n=\(item.int("n"))")
        }
        for item in exact["signed_rank"] as? [[String: Any]] ?? [] {
            let counts = (item["counts"] as? [String] ?? []).compactMap(Double.init)
            #expect(ExactDistribution.signedRank(item.int("n")).counts == counts, "W+ distribution n=\(item.int("n"))")
        }
    }

    @Test("Mann-Whitney U statistic and two-sided p-value match scipy (exact and asymptotic) to 1e-9 relative")
    func mannWhitney() throws {
        for item in CompareReference.cases("mann_whitney") {
            let test = try #require(MannWhitneyU(item.doubles("x"), item.doubles("y")))
            #expect(test.statistic == item.double("statistic"), "\(item.name)")
            #expect(close(test.pValue, item.double("p_value")), "\(item.name): \(test.pValue) \(test.method)")
        }
        #expect(MannWhitneyU([], [1]) == nil)
        #expect(MannWhitneyU([2, 2, 2], [2, 2, 2, 2, 2, 2, 2, 2, 2])?.pValue == 1, "no variance: no evidence")
    }

    @Test("Wilcoxon signed-rank statistic and p-value match scipy (exact, permutation, asymptotic)")
    func wilcoxon() throws {
        for item in CompareReference.cases("wilcoxon") {
            let test = try #require(WilcoxonSignedRank(item.doubles("d")))
            #expect(test.statistic == item.double("statistic"), "\(item.name)")
            #expect(close(test.pValue, item.double("p_value")), "\(item.name): \(test.pValue) \(test.method)")
        }
        #expect(WilcoxonSignedRank([0, 0, 0])?.pValue == 1)
    }

    @Test("Hodges-Lehmann shift and Moses interval equal the reference order statistics exactly")
    func hodgesLehmannTwoSample() throws {
        for item in CompareReference.cases("hodges_lehmann_two_sample") {
            let shift = try #require(ShiftEstimate.twoSample(x: item.doubles("x"), y: item.doubles("y"),
                                                             confidence: item.double("confidence")))
            let label = "\(item.name) @\(item.double("confidence"))"
            #expect(close(shift.estimate, item.double("estimate")), "\(label)")
            #expect(close(shift.lower, item.double("lower")), "\(label) lower \(shift.lower)")
            #expect(close(shift.upper, item.double("upper")), "\(label) upper \(shift.upper)")
            #expect(shift.exact == (item["exact"] as? Bool), "\(label)")
        }
    }

    @Test("paired Hodges-Lehmann (Walsh averages) and its interval equal the reference")
    func hodgesLehmannPaired() throws {
        for item in CompareReference.cases("hodges_lehmann_paired") {
            let shift = try #require(ShiftEstimate.paired(item.doubles("d"), confidence: item.double("confidence")))
            #expect(close(shift.estimate, item.double("estimate")), "\(item.name)")
            #expect(close(shift.lower, item.double("lower")), "\(item.name) lower")
            #expect(close(shift.upper, item.double("upper")), "\(item.name) upper")
            #expect(shift.exact == (item["exact"] as? Bool), "\(item.name)")
        }
    }

    @Test("Wilson intervals match scipy's binomtest(...).proportion_ci(method='wilson') to 1e-9")
    func wilson() throws {
        for item in CompareReference.cases("wilson") {
            let interval = try #require(Proportions.wilson(successes: item.int("successes"), total: item.int("total"),
                                                           confidence: item.double("confidence")))
            #expect(close(interval.lower, item.double("lower"), absolute: 1e-12), "\(item)")
            #expect(close(interval.upper, item.double("upper"), absolute: 1e-12), "\(item)")
        }
        #expect(Proportions.wilson(successes: 0, total: 0, confidence: 0.95) == nil)
    }

    @Test("Newcombe's hybrid score interval matches the textbook formula")
    func newcombe() throws {
        for item in CompareReference.cases("newcombe") {
            let interval = try #require(Proportions.newcombeDifference(
                successes1: item.int("successes1"), total1: item.int("total1"), successes2: item.int("successes2"),
                total2: item.int("total2"), confidence: item.double("confidence")))
            #expect(close(interval.estimate, item.double("estimate"), absolute: 1e-12))
            #expect(close(interval.lower, item.double("lower"), absolute: 1e-12), "\(item)")
            #expect(close(interval.upper, item.double("upper"), absolute: 1e-12), "\(item)")
        }
    }

    @Test("Fisher's exact test matches scipy.stats.fisher_exact to 1e-9 relative")
    func fisher() {
        for item in CompareReference.cases("fisher") {
            let table = (item["table"] as? [[NSNumber]] ?? []).flatMap { $0.map(\.intValue) }
            guard table.count == 4 else { Issue.record("bad table \(item)"); continue }
            let p = Proportions.fisherExact(table[0], table[1], table[2], table[3])
            #expect(close(p, item.double("p_value")), "\(table): \(p)")
        }
    }

    @Test("Holm's adjusted p-values match the reference; untested rows stay untested")
    func holm() {
        for item in CompareReference.cases("holm") {
            let adjusted = HolmCorrection.adjust(item.doubles("p").map { $0 })
            let expected = item.doubles("adjusted")
            #expect(adjusted.count == expected.count)
            for (ours, theirs) in zip(adjusted, expected) { #expect(close(ours ?? .nan, theirs)) }
        }
        #expect(HolmCorrection.adjust([0.01, nil, 0.02]) == [0.02, nil, 0.02])
    }

    @Test("ratio-of-means intervals (independent delta method, paired ratio estimator) match the reference")
    func ratios() throws {
        for item in CompareReference.cases("ratio") {
            let b = item.doubles("baseline")
            let c = item.doubles("candidate")
            let confidence = item.double("confidence")
            let independent = try #require(item["independent"] as? [String: Any])
            let paired = try #require(item["paired"] as? [String: Any])
            let ours = try #require(RatioEstimate.independent(baseline: b, candidate: c, confidence: confidence))
            #expect(close(ours.ratio, independent.double("ratio")))
            #expect(close(ours.lower, independent.double("lower")))
            #expect(close(ours.upper, independent.double("upper")))
            let oursPaired = try #require(RatioEstimate.paired(baseline: b, candidate: c, confidence: confidence))
            #expect(close(oursPaired.ratio, paired.double("ratio")))
            #expect(close(oursPaired.lower, paired.double("lower")))
            #expect(close(oursPaired.upper, paired.double("upper")))
        }
        #expect(RatioEstimate.independent(baseline: [1], candidate: [1, 2], confidence: 0.95) == nil)
    }
}

@Suite("Hodges-Lehmann order statistics without storing every difference")
struct LargeSampleShiftTests {
    @Test("bisection with linear counts gives exactly the values of sorting every difference")
    func sameValues() throws {
        for item in CompareReference.cases("hodges_lehmann_two_sample") {
            let x = item.doubles("x")
            let y = item.doubles("y")
            let confidence = item.double("confidence")
            let stored = try #require(ShiftEstimate.twoSample(x: x, y: y, confidence: confidence))
            let counted = try #require(ShiftEstimate.twoSample(x: x, y: y, confidence: confidence, materializeLimit: 0))
            #expect(stored == counted, "\(item.name)")
        }
        for item in CompareReference.cases("hodges_lehmann_paired") {
            let d = item.doubles("d")
            let stored = try #require(ShiftEstimate.paired(d, confidence: 0.95))
            let counted = try #require(ShiftEstimate.paired(d, confidence: 0.95, materializeLimit: 0))
            #expect(stored == counted, "\(item.name)")
        }
    }
}
