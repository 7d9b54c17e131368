/// One group's `agg(['count', 'mean', 'std', 'min', 'max', 'sum'])` as pandas' groupby computes it (the seed's
/// `stats_by_type`), before the seed's `.round(2)`. See ``PandasArithmetic`` for the kernels.
public struct GroupAggregate: Sendable, Equatable {
    public let count: Int
    public let mean: Double
    /// Sample standard deviation (ddof = 1); nil for one value (pandas prints NaN).
    public let standardDeviation: Double?
    public let min: Double
    public let max: Double
    public let sum: Double

    /// - Parameters:
    ///   - values: the group's values in row order; nil when empty (pandas has no row for an empty group).
    ///   - codesMonotonic: whether the grouping's codes are non-decreasing along all rows (every group one run,
    ///     the runs in sorted key order); pandas 3.1 then sums with numpy's `reduceat`.
    public init?(_ values: [Double], codesMonotonic: Bool) {
        guard let first = values.first else { return nil }
        count = values.count
        sum = PandasArithmetic.groupedSum(values, codesMonotonic: codesMonotonic)
        mean = sum / Double(values.count)
        standardDeviation = PandasArithmetic.welfordVariance(values)?.squareRoot()
        var low = first
        var high = first
        for value in values {
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        min = low
        max = high
    }

    /// Whether pandas sees the codes of `keys` (indices into the sorted distinct keys, one per row) as monotonic
    /// increasing, the condition of its `reduceat` shortcut.
    public static func codesMonotonic(_ keys: [String]) -> Bool {
        zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 }
    }
}
