import Foundation

/// A location shift with its confidence interval: the Hodges-Lehmann estimate and the distribution-free interval
/// that inverts the matching rank test (Moses for two samples, Tukey's Walsh-average interval for paired differences).
///
/// The interval is R's `wilcox.test(conf.int = TRUE)` with `exact = TRUE`: with k = qwilcox(α/2, m, n) (or
/// qsignrank(α/2, n)), at least 1, and N the number of differences or Walsh averages sorted ascending, the interval
/// is [D(k), D(N + 1 − k)] (1-based). The exact distribution is used while it is small (m·n <= 20 000 pairs, or
/// n <= 200 paired differences); above that k = ⌊N/2 − z·σ⌋ (at least 1) with σ the null standard deviation of the
/// rank statistic, the textbook normal approximation (Hollander & Wolfe), rounded down so the interval is never
/// narrower than the exact one would be. The estimate is the median of all D.
public struct ShiftEstimate: Sendable, Equatable {
    public let estimate: Double
    public let lower: Double
    public let upper: Double
    /// Whether the interval's order statistic came from the exact distribution.
    public let exact: Bool

    /// Largest m·n for which the exact distribution is used.
    public static let exactPairLimit = 20_000
    /// Largest number of paired differences for which the exact distribution is used.
    public static let exactPairedLimit = 200
    /// Above this many differences (or Walsh averages) they are not stored and sorted: the order statistics are
    /// found by bisection with a linear-time count (``OrderStatistics``); the values are the same.
    public static let materializeLimit = 1_000_000

    /// Two-sample shift `y − x` (candidate minus baseline). Nil when a sample is empty.
    public static func twoSample(x: [Double], y: [Double], confidence: Double,
                                 materializeLimit: Int = materializeLimit) -> ShiftEstimate?
    {
        let m = x.count
        let n = y.count
        guard m > 0, n > 0 else { return nil }
        let statistics: any OrderStatistics = m * n <= materializeLimit
            ? SortedValues(pairwiseDifferences: x, y) as any OrderStatistics : PairwiseDifferences(x: x, y: y)
        let alpha = 1 - confidence
        let k: Int
        let exact = m * n <= exactPairLimit
        if exact {
            k = ExactDistribution.mannWhitney(m, n).quantile(alpha / 2)
        } else {
            let sigma = (Double(m * n) * Double(m + n + 1) / 12).squareRoot()
            let z = NormalDistribution.twoSidedCritical(confidence: confidence)
            k = Int((Double(m * n) / 2 - z * sigma).rounded(.down))
        }
        return make(statistics, k: k, exact: exact)
    }

    /// Paired shift: the Hodges-Lehmann estimate of the centre of the differences (median of the Walsh averages
    /// (d_i + d_j)/2, i <= j) and Tukey's interval. Nil for no differences.
    public static func paired(_ d: [Double], confidence: Double, materializeLimit: Int = materializeLimit)
        -> ShiftEstimate?
    {
        let n = d.count
        guard n > 0 else { return nil }
        let walsh: any OrderStatistics = n * (n + 1) / 2 <= materializeLimit
            ? SortedValues(walshAverages: d) as any OrderStatistics : WalshAverages(d)
        let alpha = 1 - confidence
        let k: Int
        let exact = n <= exactPairedLimit
        if exact {
            k = ExactDistribution.signedRank(n).quantile(alpha / 2)
        } else {
            let count = Double(n)
            let sigma = (count * (count + 1) * (2 * count + 1) / 24).squareRoot()
            let z = NormalDistribution.twoSidedCritical(confidence: confidence)
            k = Int((Double(walsh.count) / 2 - z * sigma).rounded(.down))
        }
        return make(walsh, k: k, exact: exact)
    }

    private static func make(_ values: any OrderStatistics, k rawK: Int, exact: Bool) -> ShiftEstimate {
        let count = values.count
        let k = Swift.min(Swift.max(rawK, 1), count)
        let upperIndex = Swift.max(count + 1 - k, k)
        let median = count % 2 == 1
            ? values.value(rank: count / 2 + 1)
            : (values.value(rank: count / 2) + values.value(rank: count / 2 + 1)) / 2
        return ShiftEstimate(estimate: median, lower: values.value(rank: k), upper: values.value(rank: upperIndex),
                             exact: exact)
    }
}
