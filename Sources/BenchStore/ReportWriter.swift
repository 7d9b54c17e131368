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
        let metrics = try store.countedMetrics(collectionID: collection.id)
        // One seed report per side in an A/B collection (baseline_report_{target}.md), else baseline_report.md.
        let reports = Self.baselineReports(metrics: metrics, plan: collection.plan)
        let report = reports[0].report
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var files: [String] = []
        func write(_ name: String, _ text: String) throws {
            let path = (directory as NSString).appendingPathComponent(name)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            files.append(path)
        }
        // The exports are as long as the table: written row chunk by row chunk, never whole in memory.
        func stream(_ name: String, _ produce: (([UInt8]) throws -> Void) throws -> Void) throws {
            let path = (directory as NSString).appendingPathComponent(name)
            try AtomicTextFile(path: path).write(produce)
            files.append(path)
        }
        if formats.contains(.md) {
            for side in reports { try write(side.fileName, side.report.render()) }
        }
        if formats.contains(.json) { try stream(Self.jsonName) { try MetricsExport.writeSeedJSON(metrics, to: $0) } }
        if formats.contains(.csv) { try stream(Self.csvName) { try MetricsExport.writeCSV(metrics, to: $0) } }
        if formats.contains(.html) {
            let candidate = reports.count > 1 ? reports[1].report : nil
            try write(Self.htmlName, try htmlReport(collection: collection, report: report, candidate: candidate))
        }
        files += try writeTestReports(to: directory, collectionID: collection.id, formats: formats)
        return Output(files: files, report: report, collection: collection)
    }
}
