extension BaselineReport {
    /// The successful measurements' figures as columns, made in one pass over the rows: what the statistics of
    /// every format are computed from. Each column keeps the rows' order (the seed's file order), so sums and
    /// percentiles are the ones the rows give, digit for digit; a report of 10^6 rows copies no `BaselineMetric`.
    public struct SuccessColumns: Sendable {
        /// Figures of a set of successful jobs, one array per field, in row order.
        public struct Columns: Sendable {
            public var durationMinutes: [Double] = []
            public var cpuHours: [Double] = []
            public var memoryGBHours: [Double] = []
            public var costEstimate: [Double] = []
            /// `durationMinutes` sorted ascending, made once for every percentile, median and box plot.
            public internal(set) var sortedDurationMinutes: [Double] = []

            mutating func append(_ metric: BaselineMetric) {
                durationMinutes.append(metric.durationMinutes)
                cpuHours.append(metric.cpuHours)
                memoryGBHours.append(metric.memoryGBHours)
                costEstimate.append(metric.costEstimate)
            }
        }

        /// Every successful job.
        public private(set) var all = Columns()
        /// Per job type.
        public private(set) var byType: [String: Columns] = [:]
        /// Durations in minutes per country.
        public private(set) var durationsByCountry: [String: [Double]] = [:]
        /// Whether the job types of the successful rows never decrease (pandas' `reduceat` condition, see
        /// ``GroupAggregate/codesMonotonic(_:)``).
        public private(set) var typesMonotonic = true

        /// Successful jobs.
        public var count: Int { all.durationMinutes.count }

        public init(_ metrics: [BaselineMetric]) {
            var previousType: String?
            for metric in metrics where metric.success {
                all.append(metric)
                byType[metric.jobType, default: Columns()].append(metric)
                durationsByCountry[metric.country, default: []].append(metric.durationMinutes)
                if typesMonotonic, let previousType, !(previousType <= metric.jobType) { typesMonotonic = false }
                previousType = metric.jobType
            }
            all.sortedDurationMinutes = all.durationMinutes.sorted()
            for (type, columns) in byType {
                byType[type]?.sortedDurationMinutes = columns.durationMinutes.sorted()
            }
        }
    }

    /// The successful measurements as columns.
    public func successColumns() -> SuccessColumns {
        SuccessColumns(metrics)
    }
}
