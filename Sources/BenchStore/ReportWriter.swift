import BenchCore
import Foundation

/// Writes a collection's reports from the database alone: `baseline_report.md`, `baseline_metrics.json` (the seed's
/// format) and `baseline_metrics.csv`, plus the test reports of its suite runs when it has any
/// (`writeTestReports`). Safe to run while a collection is still writing (WAL readers never block).
public struct ReportWriter: Sendable {
    public static let markdownName = "baseline_report.md"
    public static let jsonName = "baseline_metrics.json"
    public static let csvName = "baseline_metrics.csv"

    public let store: BenchStore

    public init(store: BenchStore) {
        self.store = store
    }

    /// The files written and the report they were made from.
    public struct Output: Sendable {
        public let files: [String]
        public let report: BaselineReport
        public let collection: CollectionInfo
    }

    /// Renders and writes the reports of the current collection into `directory` (created if needed), in
    /// `formats` (every format by default).
    public func write(to directory: String, formats: Set<ReportFormat> = ReportFormat.all) throws -> Output {
        guard let collection = try store.currentCollection() else {
            throw StoreError(.noCollection, path: store.path, reason: "no collection in this database yet")
        }
        // The reads are independent and, at 10^6 rows, take seconds: the attempts (the HTML timeline) are read on
        // one core while the measurements are read in parts (ranges of job ordinals) on the others and then on this
        // one too when it is done, each part straight into its own slots of the one array of measurements.
        let parts = Self.readParts(ordinalEnd: try store.ordinalEnd(collectionID: collection.id))
        let attemptSpans = PThreadLockedValue<[AttemptSpan]?>(nil)
        var alongside: [@Sendable () throws -> Void] = []
        if formats.contains(.html) {
            alongside.append {
                let spans = try store.attemptSpans(collectionID: collection.id)
                attemptSpans.withLock { $0 = spans }
            }
        }
        // The successful jobs' columns of each report, for the markdown and the HTML page, are made by the same
        // threads as they read (a builder per part and report, joined in order after the reads): at 10^6 rows
        // the pass over the rows, made after the reads, kept one core busy and the other idle for 0.4 s.
        let wantsColumns = formats.contains(.md) || formats.contains(.html)
        let plan = collection.plan
        let reportCount = Self.reportCount(plan: plan)
        let partColumns = PThreadLockedValue([[BaselineReport.SuccessColumns.Builder]](repeating: [],
                                                                                       count: parts.count))
        let metrics: [BaselineMetric] = try OrderedPartsArray.fill(capacities: parts.map(\.count),
                                                                   alongside: alongside) { part, append in
            var builders = [BaselineReport.SuccessColumns.Builder](repeating: .init(), count: reportCount)
            try store.forEachCountedMetric(collectionID: collection.id, ordinals: parts[part]) {
                metric throws(StoreError) in
                // A job has at most one counted result (`result_counted_once`), so a range of ordinals never has
                // more measurements than ordinals.
                guard append(metric) else {
                    throw StoreError(.corruptRow, path: store.path,
                                     reason: "more counted results than jobs with ordinals in \(parts[part])")
                }
                if wantsColumns, let report = Self.reportIndex(of: metric, plan: plan) {
                    builders[report].append(metric)
                }
            }
            for report in builders.indices { builders[report].sortDurations() }
            partColumns.withLock { $0[part] = builders }
        }
        let attempts = attemptSpans.withLock { $0 }
        // One seed report per side in an A/B collection (baseline_report_{target}.md), else baseline_report.md.
        let reports = Self.baselineReports(metrics: metrics, plan: plan)
        let report = reports[0].report
        let builders = partColumns.withLock { $0 }
        let joins: [@Sendable () -> BaselineReport.SuccessColumns] = (0..<reportCount).map { report in
            {
                BaselineReport.SuccessColumns.Builder.joined(
                    builders.compactMap { $0.indices.contains(report) ? $0[report] : nil }).build()
            }
        }
        let columns = wantsColumns ? try Self.concurrently(joins) : []
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path: @Sendable (String) -> String = { (directory as NSString).appendingPathComponent($0) }
        // The formats are independent and, at 10^6 rows, each takes seconds: each is written on a thread of its own
        // (DispatchQueue.concurrentPerform: as many at a time as there are cores). The exports are as long as the
        // table: written chunk by chunk of bytes, never whole in memory.
        var formatWriters: [@Sendable () throws -> [String]] = []
        if formats.contains(.md) {
            formatWriters.append {
                try zip(reports, columns).map { side, columns in
                    let file = path(side.fileName)
                    try Data(side.report.render(columns).utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
                    return file
                }
            }
        }
        if formats.contains(.json) {
            formatWriters.append {
                let file = path(Self.jsonName)
                try AtomicTextFile(path: file).write { try MetricsExport.writeSeedJSON(metrics, to: $0) }
                return [file]
            }
        }
        if formats.contains(.csv) {
            formatWriters.append {
                let file = path(Self.csvName)
                try AtomicTextFile(path: file).write { try MetricsExport.writeCSV(metrics, to: $0) }
                return [file]
            }
        }
        if formats.contains(.html) {
            formatWriters.append {
                let candidate = reports.count > 1 ? reports[1].report : nil
                let file = path(Self.htmlName)
                let page = try htmlReport(collection: collection, report: report, candidate: candidate,
                                          attempts: attempts, columns: columns)
                try Data(page.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
                return [file]
            }
        }
        var files = try Self.concurrently(formatWriters).flatMap { $0 }
        files += try writeTestReports(to: directory, collectionID: collection.id, formats: formats)
        return Output(files: files, report: report, collection: collection)
    }

    /// The ranges of job ordinals the measurements are read in: one below 100,000 jobs, else eight, together
    /// `0..<ordinalEnd`. Beside the attempts' read (one long task), parts of about an eighth of the measurements
    /// keep both cores busy to the end: with four, at 10^6 results, one core read the last part alone for 0.4 s.
    static func readParts(ordinalEnd: Int) -> [Range<Int>] {
        let count = ordinalEnd < 100_000 ? 1 : 8
        let size = (ordinalEnd + count - 1) / max(count, 1)
        return (0..<count).map { index in
            min(index * size, ordinalEnd)..<min((index + 1) * size, ordinalEnd)
        }
    }

    /// Runs `work` on up to as many threads as there are cores and returns the results in order; throws the error
    /// of the first item that failed (the others still ran).
    static func concurrently<T: Sendable>(_ work: [@Sendable () throws -> T]) throws -> [T] {
        let results = PThreadLockedValue<[Result<T, any Error>?]>(Array(repeating: nil, count: work.count))
        DispatchQueue.concurrentPerform(iterations: work.count) { index in
            let result = Result { try work[index]() }
            results.withLock { $0[index] = result }
        }
        return try results.withLock { $0 }.compactMap { try $0?.get() }
    }
}
