/// Descriptive statistics of a sample, computed as pandas' Series methods compute them (``PandasArithmetic``).
///
/// The values are taken in row order (the order of the seed's file): `sum` is `Series.sum()` (numpy's pairwise
/// summation), `mean` is `Series.mean()`, `standardDeviation` the sample standard deviation (ddof = 1, `std()`), nil
/// for fewer than two values (pandas gives NaN). Percentiles use linear interpolation between closest ranks (numpy's
/// default).
public struct SummaryStatistics: Sendable, Equatable {
    public let count: Int
    public let mean: Double
    public let standardDeviation: Double?
    public let min: Double
    public let max: Double
    public let sum: Double
    public let p50: Double
    public let p90: Double
    public let p95: Double
    public let p99: Double

    /// Nil for an empty sample.
    public init?(_ values: [Double]) {
        self.init(values, sorted: values.sorted())
    }

    /// `values` (row order, for the sums) and the same values `sorted` ascending (for the order statistics), when
    /// the caller has them sorted already: a report of 10^6 rows sorts each column once, not once per figure.
    public init?(_ values: [Double], sorted: [Double]) {
        precondition(values.count == sorted.count, "the sorted values are the values, sorted")
        guard !values.isEmpty else { return nil }
        count = sorted.count
        sum = PandasArithmetic.seriesSum(values)
        mean = sum / Double(count)
        standardDeviation = PandasArithmetic.seriesStandardDeviation(values)
        min = sorted[0]
        max = sorted[count - 1]
        p50 = Self.percentile(sorted, 50)
        p90 = Self.percentile(sorted, 90)
        p95 = Self.percentile(sorted, 95)
        p99 = Self.percentile(sorted, 99)
    }

    /// The sample's mean exactly as ``mean`` (`Series.mean()`), without sorting it; nil for an empty sample.
    public static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : PandasArithmetic.seriesSum(values) / Double(values.count)
    }

    /// numpy's `percentile(..., method="linear")` on already sorted values: rank `(n - 1) * q / 100`, then numpy's
    /// `_lerp` (from the lower neighbour below a fraction of 0.5, from the upper one from 0.5 on).
    public static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "percentile of an empty sample")
        let rank = (q / 100) * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = rank - Double(lower)
        let difference = sorted[upper] - sorted[lower]
        return fraction >= 0.5 ? sorted[upper] - difference * (1 - fraction) : sorted[lower] + difference * fraction
    }
}
