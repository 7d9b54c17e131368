import BenchCore
@testable import BenchStore
import Foundation
import GRDB
import Testing

/// Migration `v-result-metric-columns`: a database whose results keep their metric as JSON gets the metric as
/// columns on open, every row kept with its id; a row whose JSON cannot be read keeps its text and is still named
/// by the report, as before the migration.
@Suite("Store: results' metrics moved from JSON to columns")
struct ResultMetricColumnsMigrationTests {
    static let migration = "v-result-metric-columns"

    /// Commits `metrics` as attempt 1 of their jobs and returns the collection id.
    func commit(_ metrics: [BaselineMetric], plan: Plan, path: String) throws -> String {
        try StoredMetricReadTests().commit(metrics, plan: plan, path: path)
    }

    static func column(_ path: String, _ sql: String) throws -> [DatabaseValue] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try DatabaseValue.fetchAll(db, sql: sql) }
    }

    static func count(_ path: String, _ sql: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test("legacy JSON rows (as written, and spelled as JSONEncoder spelled them) read back as the same metrics")
    func legacyRowsMigrate() throws {
        let db = try TemporaryDatabase()
        let (plan, metrics) = StoredMetricReadTests.variedMetrics()
        let id = try commit(metrics, plan: plan, path: db.path)
        let ids = try Self.column(db.path, "SELECT id FROM result ORDER BY id")
        var texts: [String: String] = [:]
        for metric in metrics { texts[metric.jobID] = try LegacyResultTable.text(metric) }
        // Foundation's JSONEncoder, before BenchJSON's writer, escaped `/`: the same metric.
        let slashed = metrics[6]
        #expect(slashed.jobType == "a/b")
        texts[slashed.jobID] = try #require(texts[slashed.jobID]).replacingOccurrences(of: "/", with: "\\/")
        try LegacyResultTable.restore(path: db.path, texts: texts)
        #expect(try Self.count(db.path, "SELECT count(*) FROM result WHERE metric_json IS NOT NULL") == metrics.count)

        let store = try BenchStore(path: db.path)
        defer { store.close() }
        let read = try store.countedMetrics(collectionID: id)
        #expect(read.count == metrics.count)
        for (got, want) in zip(read, metrics) where got != want {
            Issue.record("\(want.jobID): read \(got), committed \(want)")
        }
        #expect(try Self.column(db.path, "SELECT id FROM result ORDER BY id") == ids)
        #expect(try Self.count(db.path, "SELECT count(*) FROM result WHERE metric_json IS NOT NULL") == 0)
        #expect(try Self.column(db.path, "SELECT identifier FROM grdb_migrations WHERE identifier = '\(Self.migration)'")
            .count == 1)
        // The counted-once rule survives the rebuilt table.
        let indexes = try Self.column(db.path, "SELECT name FROM sqlite_master WHERE tbl_name = 'result' AND type = 'index'")
            .compactMap { String.fromDatabaseValue($0) }
        #expect(Set(indexes).isSuperset(of: ["result_counted_once", "result_by_attempt"]))
    }

    @Test("compare reads a database of JSON rows as it is, without migrating it")
    func compareReadsLegacyRowsUnmigrated() throws {
        let db = try TemporaryDatabase()
        let (plan, metrics) = StoredMetricReadTests.variedMetrics()
        _ = try commit(metrics, plan: plan, path: db.path)
        var texts: [String: String] = [:]
        for metric in metrics { texts[metric.jobID] = try LegacyResultTable.text(metric) }
        try LegacyResultTable.restore(path: db.path, texts: texts)

        let loaded = try ComparisonSourceLoader.load(db.path)
        #expect(loaded.kind == .database)
        #expect(loaded.metrics == metrics)
        // Still the legacy table: nothing was migrated or written.
        #expect(try Self.count(db.path, "SELECT count(*) FROM result WHERE metric_json IS NOT NULL") == metrics.count)
        #expect(try Self.count(db.path, "SELECT count(*) FROM grdb_migrations WHERE identifier = '\(Self.migration)'")
            == 0)
    }

    @Test("a legacy row whose JSON cannot be read is kept as it was and still named by the report",
          arguments: [
            ("{\"job_id\": 3", "not JSON"),
            ("{\"job_id\": \"x\"}", "not a metric: "),
            ("[]", "not a metric: not an object"),
          ])
    func unreadableLegacyRowKept(damage: String, reason: String) throws {
        let db = try TemporaryDatabase()
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])])
        let jobs = plan.expandJobs()
        let metrics = jobs.map { BaselineMetric.sample($0, attempt: 1, agent: "a") }
        let id = try commit(metrics, plan: plan, path: db.path)
        try LegacyResultTable.restore(path: db.path, texts: [
            jobs[0].id: try LegacyResultTable.text(metrics[0]), jobs[1].id: damage,
        ])

        let store = try BenchStore(path: db.path)
        defer { store.close() }
        do {
            _ = try store.countedMetrics(collectionID: id)
            Issue.record("a damaged metric was read without an error")
        } catch {
            #expect(error.kind == .corruptRow)
            #expect(error.reason.contains("collection \(id), the result of job \(jobs[1].id) unreadable: \(reason)"),
                    "\(error.reason)")
        }
        #expect(try Self.column(db.path, "SELECT metric_json FROM result ORDER BY id") == [.null, damage.databaseValue])
    }
}
