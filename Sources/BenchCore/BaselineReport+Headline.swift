import Foundation

extension BaselineReport {
    /// The collection summary's figures, summed exactly as ``render()`` sums them, for renderers other than the
    /// markdown one (the HTML report), so that every format prints the same totals.
    public struct Headline: Sendable, Equatable {
        public let totalJobs: Int
        public let successfulJobs: Int
        /// Percent of measured jobs that succeeded (0 when none was measured).
        public let successRate: Double
        /// Sum of the successful jobs' durations, in minutes.
        public let totalTrainingMinutes: Double
        /// Sum of the successful jobs' estimated costs, in USD.
        public let totalCost: Double
        public let firstTimestamp: Date?
        public let lastTimestamp: Date?
    }

    /// The headline figures of the report.
    public func headline() -> Headline {
        headline(successColumns())
    }

    /// The headline figures from the successful jobs' columns.
    public func headline(_ good: SuccessColumns) -> Headline {
        let range = timestampRange()
        return Headline(
            totalJobs: metrics.count, successfulJobs: good.count,
            successRate: metrics.isEmpty ? 0 : Double(good.count) / Double(metrics.count) * 100,
            totalTrainingMinutes: PandasArithmetic.seriesSum(good.all.durationMinutes),
            totalCost: PandasArithmetic.seriesSum(good.all.costEstimate),
            firstTimestamp: range?.first, lastTimestamp: range?.last)
    }
}
