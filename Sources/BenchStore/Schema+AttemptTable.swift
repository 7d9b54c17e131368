import BenchCore
import GRDB

extension Schema {
    /// The attempts as a table without rowid, clustered on its primary key `(collection_id, job_id, attempt)`.
    ///
    /// Every statement on `attempt` names the whole key: the coordinator inserts an attempt when it assigns a job
    /// and updates it by key when its result arrives or its lease ends. A rowid table paid for each with two
    /// B-trees (the rows and the key's index): one insert more and one seek more per job on the single writer.
    /// The report walks every attempt in key order (``BenchStore/attemptSpans(collectionID:)``), which in a rowid
    /// table looked up each row from the index. Made again like `result` (`v-result-metric-columns`): every row
    /// copied in one transaction.
    static func registerAttemptTableMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v-attempt-without-rowid") { db in
            try db.create(table: "attempt_by_key", options: [.withoutRowID]) { t in
                t.column("collection_id", .text).notNull()
                t.column("job_id", .text).notNull()
                t.column("attempt", .integer).notNull()
                t.column("agent", .text).notNull()
                t.column("assigned_at", .double).notNull()
                t.column("lease_until", .double).notNull()
                t.column("ended_at", .double)
                // running | completed | expired | released | abandoned | unsent | trainer_unreachable (Schema+Gaps)
                t.column("status", .text).notNull()
                t.column("delivery", .text)
                t.primaryKey(["collection_id", "job_id", "attempt"])
                t.foreignKey(["collection_id", "job_id"], references: "job", onDelete: .cascade)
            }
            try db.execute(sql: """
                INSERT INTO attempt_by_key (collection_id, job_id, attempt, agent, assigned_at, lease_until, ended_at,
                                            status, delivery)
                SELECT collection_id, job_id, attempt, agent, assigned_at, lease_until, ended_at, status, delivery
                FROM attempt
                """)
            try db.drop(table: "attempt")
            try db.rename(table: "attempt_by_key", to: "attempt")
            CrashPoint.reach(.migration) // the newest migration, mid-transaction: a restart must run it again
        }
    }
}
