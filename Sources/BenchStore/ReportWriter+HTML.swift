import BenchCore
import Foundation

extension ReportWriter {
    /// `baseline_report.html`.
    public static let htmlName = HTMLReport.fileName

    /// The HTML report of a collection, read from the database (measurements, every attempt, the newest suite run
    /// of each phase) and rendered; `report` is the baseline report the other formats are made from.
    public func htmlReport(collection: CollectionInfo, report: BaselineReport, now: Date = Date()) throws -> String {
        let input = HTMLReportInput(
            collectionID: collection.id, plan: collection.plan, createdAt: collection.createdAt,
            completedAt: collection.completedAt, report: report,
            attempts: try store.attemptSpans(collectionID: collection.id),
            testSuites: try store.latestTestSuiteReports(collectionID: collection.id), generatedAt: now)
        return HTMLReport(input: input).render()
    }
}
