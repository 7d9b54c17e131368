import BenchCore
import Foundation
import GRDB

extension ReportWriter {
    /// `baseline_report.html`.
    public static let htmlName = HTMLReport.fileName

    /// The HTML report of a collection, read from the database (measurements, every attempt, the newest suite run
    /// of each phase) and rendered; `report` is the baseline report the other formats are made from. In an A/B
    /// collection `report` is the baseline side and `candidate` the candidate side: the page shows both and the
    /// comparison of the two (targets: the plan's `validation:` section, else the seed's).
    /// `attempts`: the collection's attempt spans when the caller has read them already, else read here;
    /// `columns`: the successful jobs' columns of `report` and `candidate` (in that order) when the caller has made
    /// them already, else made here.
    public func htmlReport(collection: CollectionInfo, report: BaselineReport, candidate: BaselineReport? = nil,
                           attempts: [AttemptSpan]? = nil, columns: [BaselineReport.SuccessColumns]? = nil,
                           now: Date = Date()) throws -> String {
        var input = HTMLReportInput(
            collectionID: collection.id, plan: collection.plan, createdAt: collection.createdAt,
            completedAt: collection.completedAt, report: report,
            attempts: try attempts ?? store.attemptSpans(collectionID: collection.id),
            testSuites: try store.latestTestSuiteReports(collectionID: collection.id), generatedAt: now)
        if let candidate {
            input.candidate = candidate
            // Without measurements of a common job type on both sides there is nothing to compare yet.
            input.comparison = try? Comparison.compare(ComparisonInput(
                baseline: ComparisonSide(label: "\(collection.id) (baseline)", metrics: report.metrics),
                candidate: ComparisonSide(label: "\(collection.id) (candidate)", metrics: candidate.metrics),
                targets: collection.plan.validation ?? .seedDefaults, fromABCollection: true))
        }
        input.versions = [("Database schema", try schemaVersion())]
        let baselineColumns = columns?.first ?? report.successColumns()
        let candidateColumns = candidate.map { columns?.dropFirst().first ?? $0.successColumns() }
        return HTMLReport(input: input, columns: baselineColumns, candidateColumns: candidateColumns).render()
    }

    /// The newest migration applied to the database (the schema version it is at).
    func schemaVersion() throws -> String {
        try StoreError.wrap(store.path, "read the schema version") {
            try store.pool.read { db in
                try String.fetchOne(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid DESC LIMIT 1")
            } ?? "unknown"
        }
    }
}
