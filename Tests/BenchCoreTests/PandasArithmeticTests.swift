import BenchCore
import Testing

/// Reference values from pandas 3.1.1 / numpy 2.4.6 (Python 3.11), computed on the same doubles:
///
///     scales = [1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1000.0]
///     v = [((i * 7919) % 1009) / 97.0 * scales[(i * 3) % 7] for i in range(n)]
///     s = pd.Series(v); df = pd.DataFrame({"g": (["x", "y"] * n)[:n], "v": v})
///     s.sum(), s.std(), df.groupby("g")["v"].sum()["x"], df.groupby("g")["v"].std()["x"],
///     pd.DataFrame({"g": ["x"] * n, "v": v}).groupby("g")["v"].sum()["x"]
///
/// At 129 and 1000 values the pairwise, Kahan, sorted and Welford results differ in the last bits, so only the
/// kernel pandas uses gives these doubles.
@Suite("pandas/numpy arithmetic")
struct PandasArithmeticTests {
    static let scales = [1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1000.0]

    static func values(_ count: Int) -> [Double] {
        (0..<count).map { (index: Int) -> Double in
            let numerator = Double((index * 7919) % 1009)
            return numerator / 97.0 * scales[(index * 3) % 7]
        }
    }

    struct Reference: Sendable {
        let count: Int
        let seriesSum: Double, seriesStd: Double
        let interleavedGroupSum: Double, interleavedGroupStd: Double
        let monotonicGroupSum: Double
    }

    static let references = [
        Reference(count: 7, seriesSum: 7675.499381443299, seriesStd: 2716.512043440356,
                  interleavedGroupSum: 7666.082474226804, interleavedGroupStd: 3559.0507705858327,
                  monotonicGroupSum: 7675.499381443299),
        Reference(count: 100, seriesSum: 72179.748, seriesStd: 1921.4224694407867,
                  interleavedGroupSum: 38045.86227835052, interleavedGroupStd: 2020.464186128016,
                  monotonicGroupSum: 72179.748),
        Reference(count: 129, seriesSum: 111222.84946391755, seriesStd: 2168.899831479349,
                  interleavedGroupSum: 61349.63072164948, interleavedGroupStd: 2305.3082379657285,
                  monotonicGroupSum: 111222.84946391753),
        Reference(count: 1000, seriesSum: 818605.3198762886, seriesStd: 2109.9173255492847,
                  interleavedGroupSum: 415752.35820618557, interleavedGroupStd: 2136.1772840846656,
                  monotonicGroupSum: 818605.3198762888),
    ]

    @Test("Series.sum/std and groupby sum/std give pandas' doubles, bit for bit", arguments: references)
    func againstPandas(_ reference: Reference) throws {
        let values = Self.values(reference.count)
        #expect(PandasArithmetic.seriesSum(values) == reference.seriesSum)
        #expect(PandasArithmetic.seriesStandardDeviation(values) == reference.seriesStd)
        let stats = try #require(SummaryStatistics(values))
        #expect(stats.sum == reference.seriesSum)
        #expect(stats.mean == reference.seriesSum / Double(reference.count))
        // Group x = every other row; the codes x, y, x, y ... are not monotonic: the Kahan kernel.
        let x = stride(from: 0, to: values.count, by: 2).map { values[$0] }
        let interleaved = try #require(GroupAggregate(x, codesMonotonic: false))
        #expect(interleaved.sum == reference.interleavedGroupSum)
        #expect(interleaved.standardDeviation == reference.interleavedGroupStd)
        #expect(GroupAggregate.codesMonotonic(["x", "y", "x"]) == false)
        // One group over all rows: monotonic codes, numpy's reduceat in pandas 3.1.
        #expect(GroupAggregate.codesMonotonic(Array(repeating: "x", count: values.count)))
        #expect(try #require(GroupAggregate(values, codesMonotonic: true)).sum == reference.monotonicGroupSum)
    }

    @Test("sums follow the row order: the same values reordered sum to another double")
    func orderMatters() {
        // numpy: np.sum of these 27 values in this order is 0.35000000000000003; sorted, 0.3500000000000001.
        let memory = [0.02, 0.01, 0.02, 0.01, 0.02, 0.02, 0.01, 0.01, 0.02, 0.01, 0.01, 0.01, 0.02, 0.02, 0.01, 0.01,
                      0.02, 0.0, 0.0, 0.02, 0.01, 0.02, 0.01, 0.01, 0.01, 0.0, 0.02]
        #expect(PandasArithmetic.seriesSum(memory) == 0.35000000000000003)
        #expect(PandasArithmetic.seriesSum(memory.sorted()) == 0.3500000000000001)
        #expect(PythonRounding.format(PandasArithmetic.seriesSum(memory), places: 1) == "0.4")
    }

    @Test("one value: no standard deviation (pandas NaN) in the Series and the groupby paths")
    func single() throws {
        #expect(PandasArithmetic.seriesStandardDeviation([4.2]) == nil)
        let group = try #require(GroupAggregate([4.2], codesMonotonic: false))
        #expect(group.standardDeviation == nil && group.count == 1 && group.sum == 4.2 && group.min == 4.2)
        #expect(GroupAggregate([], codesMonotonic: true) == nil)
    }

    @Test("numpy's round (pandas .round(2)) is not Python's round")
    func numpyRound() {
        // numpy: np.round([25.935, 23.905, 86.255, 0.125, 2.675, -1.005], 2); Python's round gives
        // 25.93, 23.91, 86.25, 0.12, 2.67, -1.0.
        let inputs = [25.935, 23.905, 86.255, 0.125, 2.675, -1.005]
        #expect(inputs.map { PandasArithmetic.numpyRound($0, decimals: 2) } == [25.94, 23.9, 86.26, 0.12, 2.68, -1.0])
        #expect(inputs.map { PythonRounding.round($0, places: 2) } == [25.93, 23.91, 86.25, 0.12, 2.67, -1.0])
    }

    @Test("percentiles are numpy's linear method, including its interpolation from the upper neighbour")
    func percentiles() throws {
        // np.percentile([1.5, 2.25, 3.0, 10.0, 4.75, 0.1, 0.7], [50, 90, 95, 99])
        let stats = try #require(SummaryStatistics([1.5, 2.25, 3.0, 10.0, 4.75, 0.1, 0.7]))
        #expect([stats.p50, stats.p90, stats.p95, stats.p99] == [2.25, 6.850000000000001, 8.424999999999997,
                                                                 9.684999999999997])
    }
}
