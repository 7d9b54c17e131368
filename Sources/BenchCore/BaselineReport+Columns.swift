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

            /// Appends `other`'s rows; with `mergingSorted`, both sorted durations are valid and stay so (merged).
            mutating func append(contentsOf other: Columns, mergingSorted: Bool) {
                durationMinutes.append(contentsOf: other.durationMinutes)
                cpuHours.append(contentsOf: other.cpuHours)
                memoryGBHours.append(contentsOf: other.memoryGBHours)
                costEstimate.append(contentsOf: other.costEstimate)
                if mergingSorted {
                    sortedDurationMinutes = Self.merged(sortedDurationMinutes, other.sortedDurationMinutes)
                }
            }

            /// The two ascending runs as one ascending run.
            static func merged(_ a: [Double], _ b: [Double]) -> [Double] {
                guard !a.isEmpty else { return b }
                guard !b.isEmpty else { return a }
                var out: [Double] = []
                out.reserveCapacity(a.count + b.count)
                var i = 0
                var j = 0
                while i < a.count, j < b.count {
                    if b[j] < a[i] {
                        out.append(b[j])
                        j += 1
                    } else {
                        out.append(a[i])
                        i += 1
                    }
                }
                out.append(contentsOf: a[i...])
                out.append(contentsOf: b[j...])
                return out
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

        private init() {}

        public init(_ metrics: [BaselineMetric]) {
            var builder = Builder()
            for metric in metrics { builder.append(metric) }
            self = builder.build()
        }

        /// Columns made from parts of the rows, each part's builder fed its rows in order and the parts then joined
        /// in order (``Builder/append(contentsOf:)``): the same columns as ``init(_:)`` of all the rows, so that a
        /// report of 10^6 rows makes them on several cores while it reads the rows.
        public struct Builder: Sendable {
            private var taken = SuccessColumns()
            /// The job types of the first and last successful rows (where a joined part's order is checked).
            private var firstType: String?
            private var lastType: String?
            /// Whether every `sortedDurationMinutes` of `taken` is its `durationMinutes` sorted (true when empty).
            private var isSorted = true

            /// An empty builder.
            public init() {}

            /// Takes the next row: its figures when it is successful, nothing otherwise.
            public mutating func append(_ metric: BaselineMetric) {
                guard metric.success else { return }
                isSorted = false
                taken.all.append(metric)
                taken.byType[metric.jobType, default: Columns()].append(metric)
                taken.durationsByCountry[metric.country, default: []].append(metric.durationMinutes)
                if taken.typesMonotonic, let lastType, !(lastType <= metric.jobType) {
                    taken.typesMonotonic = false
                }
                if firstType == nil { firstType = metric.jobType }
                lastType = metric.jobType
            }

            /// Takes the rows of `other`, which come after this builder's rows.
            public mutating func append(contentsOf other: Builder) {
                guard let otherFirst = other.firstType else { return }
                if let lastType, !(lastType <= otherFirst) { taken.typesMonotonic = false }
                if !other.taken.typesMonotonic { taken.typesMonotonic = false }
                // Sorted parts stay sorted when joined: their sorted durations are merged, not sorted again.
                let merging = isSorted && other.isSorted
                taken.all.append(contentsOf: other.taken.all, mergingSorted: merging)
                for (type, figures) in other.taken.byType {
                    taken.byType[type, default: Columns()].append(contentsOf: figures, mergingSorted: merging)
                }
                isSorted = merging
                for (country, durations) in other.taken.durationsByCountry {
                    taken.durationsByCountry[country, default: []].append(contentsOf: durations)
                }
                if firstType == nil { firstType = otherFirst }
                lastType = other.lastType
            }

            /// The rows of `parts`, in order, joined pairwise in rounds (the first part with the second, the third
            /// with the fourth, then those results the same way): the same columns as joining them one after the
            /// other, with each part's rows moved about log2(parts.count) times instead of once per later part.
            public static func joined(_ parts: [Builder]) -> Builder {
                var level = parts
                while level.count > 1 {
                    var next: [Builder] = []
                    next.reserveCapacity((level.count + 1) / 2)
                    for index in stride(from: 0, to: level.count, by: 2) {
                        // Taken out of the array, so that appending to it does not copy its columns first.
                        var left = Builder()
                        swap(&left, &level[index])
                        if index + 1 < level.count { left.append(contentsOf: level[index + 1]) }
                        next.append(left)
                    }
                    level = next
                }
                return level.first ?? Builder()
            }

            /// Sorts the durations of the rows taken so far, so that joining this part to others merges them
            /// instead of sorting them all again in ``build()``: for the thread that made the part, while the
            /// others make theirs (at 10^6 rows the sorts were 0.1 s on one core after the reads).
            public mutating func sortDurations() {
                guard !isSorted else { return }
                taken.all.sortedDurationMinutes = taken.all.durationMinutes.sorted()
                for (type, figures) in taken.byType {
                    taken.byType[type]?.sortedDurationMinutes = figures.durationMinutes.sorted()
                }
                isSorted = true
            }

            /// The columns of every row taken, with the sorted durations made.
            public func build() -> SuccessColumns {
                var made = self
                made.sortDurations()
                return made.taken
            }
        }
    }

    /// The successful measurements as columns.
    public func successColumns() -> SuccessColumns {
        SuccessColumns(metrics)
    }
}
