/// Outliers by the modified z-score of Iglewicz and Hoaglin: `M = 0.6745 (x - median) / MAD`, an outlier when
/// `|M| > 3.5`. When more than half the values are equal (MAD = 0) the mean absolute deviation stands in
/// (`M = (x - median) / (1.253314 MeanAD)`); when every value is the median there are no outliers.
public enum ModifiedZScore {
    /// The threshold above which a value is an outlier.
    public static let threshold = 3.5

    /// The modified z-score of every value (in the order given); all zero when the values do not spread.
    public static func scores(_ values: [Double]) -> [Double] {
        guard !values.isEmpty else { return [] }
        let median = SummaryStatistics.percentile(values.sorted(), 50)
        let deviations = values.map { abs($0 - median) }
        let mad = SummaryStatistics.percentile(deviations.sorted(), 50)
        if mad > 0 {
            return values.map { 0.6745 * ($0 - median) / mad }
        }
        let meanDeviation = deviations.reduce(0, +) / Double(deviations.count)
        guard meanDeviation > 0 else { return values.map { _ in 0 } }
        return values.map { ($0 - median) / (1.253314 * meanDeviation) }
    }

    /// Whether each value (in the order given) is an outlier.
    public static func outliers(_ values: [Double]) -> [Bool] {
        scores(values).map { abs($0) > threshold }
    }
}

extension ModifiedZScore {
    /// The values of an already sorted sample that are not outliers lie within `median ± halfWidth`; nil when the
    /// sample does not spread (no outliers). Same rule as ``scores(_:)``, computed once for large samples.
    public static func inlierRange(sorted: [Double]) -> ClosedRange<Double>? {
        guard !sorted.isEmpty else { return nil }
        let median = SummaryStatistics.percentile(sorted, 50)
        var deviations = sorted.map { abs($0 - median) }
        deviations.sort()
        let mad = SummaryStatistics.percentile(deviations, 50)
        let halfWidth: Double
        if mad > 0 {
            halfWidth = threshold * mad / 0.6745
        } else {
            let meanDeviation = deviations.reduce(0, +) / Double(deviations.count)
            guard meanDeviation > 0 else { return nil }
            halfWidth = threshold * 1.253314 * meanDeviation
        }
        return (median - halfWidth)...(median + halfWidth)
    }
}
