import BenchCore
@testable import BenchStore
import Foundation
import GRDB
import Testing

/// Migration `v-attempt-without-rowid`: a database whose attempts are a rowid table (with the key's index beside
/// it) gets them clustered on the key on open, every row kept; the report's walk of the attempts then reads one
/// B-tree in key order, and the timeline is the same.
@Suite("Store: the attempts clustered on their key")
struct AttemptTableMigrationTests {
    static let migration = "v-attempt-without-rowid"
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static func tableSQL(_ path: String) throws -> String {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'attempt'") ?? ""
        }
    }

    static func rows(_ path: String) throws -> [Row] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attempt ORDER BY collection_id, job_id, attempt")
        }
    }

    @Test("an existing rowid table is made again without rowid; rows, spans and the write path are the same")
    func existingTableMigrates() throws {
        let db = try TemporaryDatabase()
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1,
                                                  countries: ["zz", "mm", "aa", "qq", "bb", "cc", "dd", "ee", "ff", "gg", "hh", "ii", "jj", "kk"])],
                        maxAttempts: 3)
        var id = ""
        var spans: [AttemptSpan] = []
        do {
            let store = try BenchStore(path: db.path)
            defer { store.close() }
            let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
            id = collection.id
            _ = try store.playLeaseRounds(collectionID: id, rounds: 6, from: t0)
            spans = try store.attemptSpans(collectionID: id)
            #expect(Set(spans.map(\.outcome)).isSuperset(of: [.succeeded, .failed, .expired]))
        }
        #expect(try Self.tableSQL(db.path).contains("WITHOUT ROWID"))
        let rows = try Self.rows(db.path)
        // Back to the rowid table an mmmbench before this migration left, the migration not recorded.
        do {
            let queue = try DatabaseQueue(path: db.path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                try db.inTransaction {
                    try db.execute(sql: "ALTER TABLE attempt RENAME TO attempt_clustered")
                    try db.execute(sql: """
                        CREATE TABLE "attempt" ("collection_id" TEXT NOT NULL, "job_id" TEXT NOT NULL,
                        "attempt" INTEGER NOT NULL, "agent" TEXT NOT NULL, "assigned_at" DOUBLE NOT NULL,
                        "lease_until" DOUBLE NOT NULL, "ended_at" DOUBLE, "status" TEXT NOT NULL, "delivery" TEXT,
                        PRIMARY KEY ("collection_id", "job_id", "attempt"),
                        FOREIGN KEY ("collection_id", "job_id") REFERENCES "job"("collection_id", "id")
                        ON DELETE CASCADE)
                        """)
                    // Inserted in another order than the key's, as assignments and re-dispatches interleave.
                    try db.execute(sql: "INSERT INTO attempt SELECT * FROM attempt_clustered ORDER BY assigned_at DESC")
                    try db.execute(sql: "DROP TABLE attempt_clustered")
                    try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [Self.migration])
                    return .commit
                }
                try db.execute(sql: "PRAGMA foreign_keys = ON")
            }
            try queue.close()
        }
        #expect(!(try Self.tableSQL(db.path).contains("WITHOUT ROWID")))

        let store = try BenchStore(path: db.path)
        defer { store.close() }
        #expect(try Self.tableSQL(db.path).contains("WITHOUT ROWID"))
        #expect(try Self.rows(db.path) == rows)
        #expect(try store.attemptSpans(collectionID: id) == spans)
        let walk = try BenchStoreTests.queryPlan(path: db.path, sql: BenchStore.attemptRowsSQL, arguments: ["c"])
        #expect(walk.contains("SEARCH attempt USING PRIMARY KEY"), "\(walk)")
        #expect(!walk.contains("TEMP B-TREE"), "\(walk)")
        // The write path on the new table: the remaining jobs leased and measured, each attempt closed once.
        var clock = t0 + 100
        while case .leased(let lease) = try store.leaseNextJob(collectionID: id, agent: "a3", leaseSeconds: 5,
                                                               dayGapSeconds: 0, now: clock) {
            #expect(try store.recordResult(collectionID: id, ResultSubmission(
                jobID: lease.job.id, attempt: lease.attempt, agent: "a3",
                metric: .sample(lease.job, attempt: lease.attempt, agent: "a3")), now: clock + 1) == .committed)
            clock += 2
        }
        let after = try store.attemptSpans(collectionID: id)
        #expect(after.count > spans.count)
        #expect(!after.contains { $0.outcome == .running })
    }
}
