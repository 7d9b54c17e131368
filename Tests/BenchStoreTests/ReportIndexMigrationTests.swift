import BenchCore
@testable import BenchStore
import Foundation
import GRDB
import Testing

/// Migration `v-report-job-by-ordinal-index`: a database written before it (every older migration applied, results
/// in it) gets `job_by_ordinal` when a newer mmmbench opens it, the report's read then walks the index instead of
/// sorting every row, and reads the same metrics in the same matrix order.
@Suite("Store: the report's index on job ordinal")
struct ReportIndexMigrationTests {
    static let migration = "v-report-job-by-ordinal-index"
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    /// The query plan of the report's read on the database at `path`.
    static func queryPlan(_ path: String) throws -> String {
        try BenchStoreTests.queryPlan(path: path, sql: BenchStore.countedMetricsSQL(hasTarget: true), arguments: ["c"])
    }

    @Test("an existing database gains the index on open; the read streams in ordinal order and reads the same")
    func existingDatabaseMigrates() throws {
        let db = try TemporaryDatabase()
        // Countries whose ids sort against the plan's order, results committed in reverse: neither the job id nor
        // the result's rowid gives the matrix order, only the ordinal does.
        let plan = Plan(days: 2, jobs: [JobConfig(type: "small", iterations: 1, trials: 1,
                                                 countries: ["zz", "mm", "aa", "qq", "bb"])])
        let jobs = plan.expandJobs()
        var committed: [BaselineMetric] = []
        var id = ""
        do {
            let store = try BenchStore(path: db.path)
            defer { store.close() }
            let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
            id = collection.id
            committed = jobs.enumerated().map { index, job in
                var metric = BaselineMetric.sample(job, attempt: 1, agent: "a", success: index % 3 != 0)
                metric.timestamp = t0 + Double(index)
                return metric
            }
            try store.commitInReverse(collectionID: id, jobs: jobs, metrics: committed, now: t0)
            #expect(try store.countedMetrics(collectionID: id) == committed)
        }
        // Back to the schema an mmmbench before this migration left: no index, the migration not recorded.
        do {
            let queue = try DatabaseQueue(path: db.path)
            try queue.write { db in
                try db.execute(sql: "DROP INDEX job_by_ordinal")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [Self.migration])
            }
            try queue.close()
        }
        let before = try Self.queryPlan(db.path)
        #expect(before.contains("USE TEMP B-TREE FOR ORDER BY"), "\(before)")
        #expect(!before.contains("job_by_ordinal"), "\(before)")

        let store = try BenchStore(path: db.path)
        defer { store.close() }
        #expect(try store.countedMetrics(collectionID: id) == committed)
        let after = try Self.queryPlan(db.path)
        #expect(after.contains("job_by_ordinal"), "\(after)")
        // No sort at all, not even of each ordinal's one row ("FOR RIGHT PART OF ORDER BY").
        #expect(!after.contains("TEMP B-TREE"), "\(after)")
        let queue = try DatabaseQueue(path: db.path)
        defer { try? queue.close() }
        let applied = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
        #expect(applied.contains(Self.migration), "\(applied)")
    }
}
