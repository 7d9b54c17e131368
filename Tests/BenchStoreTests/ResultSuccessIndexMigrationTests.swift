import BenchCore
@testable import BenchStore
import Foundation
import GRDB
import Testing

/// Migration `v-report-result-by-attempt-success`: `result_by_attempt` gains `success`, so the timeline's walk of
/// every attempt's result reads the index alone. A database written before it gets the wider index on open, and
/// the report's attempts read the same.
@Suite("Store: the results' success in the attempt index")
struct ResultSuccessIndexMigrationTests {
    static let migration = "v-report-result-by-attempt-success"
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    /// The query plan of the success walk on the database at `path`.
    static func queryPlan(_ path: String) throws -> String {
        try BenchStoreTests.queryPlan(path: path, sql: FailedAttemptCursor.sql, arguments: ["c"])
    }

    @Test("an existing database gains the index on open; the walk reads the index alone; the spans are the same")
    func existingDatabaseMigrates() throws {
        let db = try TemporaryDatabase()
        let countries = ["zz", "mm", "aa", "qq", "bb", "cc", "dd", "ee"]
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: countries)],
                        maxAttempts: 3)
        var id = ""
        var spans: [AttemptSpan] = []
        do {
            let store = try BenchStore(path: db.path)
            defer { store.close() }
            let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
            id = collection.id
            _ = try store.playLeaseRounds(collectionID: id, rounds: 8, from: t0)
            spans = try store.attemptSpans(collectionID: id)
            #expect(Set(spans.map(\.outcome)).isSuperset(of: [.succeeded, .failed, .expired]))
        }
        // Back to the schema an mmmbench before this migration left: the narrower index, the migration not recorded.
        do {
            let queue = try DatabaseQueue(path: db.path)
            try queue.write { db in
                try db.execute(sql: "DROP INDEX result_by_attempt")
                try db.execute(sql: "CREATE INDEX result_by_attempt ON result(collection_id, job_id, attempt)")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [Self.migration])
            }
            try queue.close()
        }
        let before = try Self.queryPlan(db.path)
        #expect(before.contains("USING INDEX result_by_attempt"), "\(before)")
        #expect(!before.contains("COVERING"), "\(before)")

        let store = try BenchStore(path: db.path)
        defer { store.close() }
        #expect(try store.attemptSpans(collectionID: id) == spans)
        let after = try Self.queryPlan(db.path)
        #expect(after.contains("USING COVERING INDEX result_by_attempt"), "\(after)")
        #expect(!after.contains("TEMP B-TREE"), "\(after)")
    }
}
