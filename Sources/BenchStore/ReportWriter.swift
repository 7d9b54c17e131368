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
        // The two reads are independent and, at 10^6 rows, each takes seconds: the attempts (the HTML timeline)
        // are read on another core while the measurements are.
        let readers: [@Sendable () throws -> ReportReads] = [
            { .metrics(try store.countedMetrics(collectionID: collection.id)) },
            { formats.contains(.html) ? .attempts(try store.attemptSpans(collectionID: collection.id)) : .nothing },
        ]
        let reads = try Self.concurrently(readers)
        guard case .metrics(let metrics) = reads[0] else { preconditionFailure("results come back in order") }
        let attempts = reads[1].attemptSpans
        // One seed report per side in an A/B collection (baseline_report_{target}.md), else baseline_report.md.
        let reports = Self.baselineReports(metrics: metrics, plan: collection.plan)
        let report = reports[0].report
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path: @Sendable (String) -> String = { (directory as NSString).appendingPathComponent($0) }
        // The formats are independent and, at 10^6 rows, each takes seconds: each is written on a thread of its own
        // (DispatchQueue.concurrentPerform: as many at a time as there are cores). The exports are as long as the
        // table: written chunk by chunk of bytes, never whole in memory.
        var formatWriters: [@Sendable () throws -> [String]] = []
        if formats.contains(.md) {
            formatWriters.append {
                try reports.map { side in
                    let file = path(side.fileName)
                    try Data(side.report.render().utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
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
                                          attempts: attempts)
                try Data(page.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
                return [file]
            }
        }
        var files = try Self.concurrently(formatWriters).flatMap { $0 }
        files += try writeTestReports(to: directory, collectionID: collection.id, formats: formats)
        return Output(files: files, report: report, collection: collection)
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

/// What ``ReportWriter/write(to:formats:)`` reads before it writes, one read per thread.
enum ReportReads: Sendable {
    case metrics([BaselineMetric])
    case attempts([AttemptSpan])
    case nothing

    var attemptSpans: [AttemptSpan]? {
        if case .attempts(let spans) = self { spans } else { nil }
    }
}
