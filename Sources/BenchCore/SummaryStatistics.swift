/// Descriptive statistics of a sample, computed as pandas/numpy do.
///
/// `standardDeviation` is the sample standard deviation (ddof = 1, pandas' `std()`), nil for fewer than two values
/// (pandas gives NaN). Percentiles use linear interpolation between closest ranks (numpy's default).
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
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        count = sorted.count
        let total = Self.accurateSum(sorted)
        let average = total / Double(sorted.count)
        sum = total
        mean = average
        if count > 1 {
            let squares = Self.accurateSum(sorted.map { ($0 - average) * ($0 - average) })
            standardDeviation = (squares / Double(count - 1)).squareRoot()
        } else {
            standardDeviation = nil
        }
        min = sorted[0]
        max = sorted[count - 1]
        p50 = Self.percentile(sorted, 50)
        p90 = Self.percentile(sorted, 90)
        p95 = Self.percentile(sorted, 95)
        p99 = Self.percentile(sorted, 99)
    }

    /// numpy's `percentile(..., method="linear")` on already sorted values.
    public static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "percentile of an empty sample")
        let rank = (q / 100) * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = rank - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }

    /// Kahan-compensated sum, close to numpy's pairwise summation for the sizes we see.
    static func accurateSum(_ values: [Double]) -> Double {
        var sum = 0.0
        var compensation = 0.0
        for value in values {
            let y = value - compensation
            let t = sum + y
            compensation = (t - sum) - y
            sum = t
        }
        return sum
    }
}
