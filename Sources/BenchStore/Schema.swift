import GRDB

/// The database schema as named migrations. Never edit a migration once merged: add a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-collections-jobs-attempts-results") { db in
            try db.create(table: "collection") { t in
                t.primaryKey("id", .text)
                t.column("created_at", .double).notNull()
                t.column("plan_json", .text).notNull()
                t.column("completed_at", .double)
            }
            try db.create(table: "job") { t in
                t.column("collection_id", .text).notNull().references("collection", onDelete: .cascade)
                t.column("id", .text).notNull()
                t.column("ordinal", .integer).notNull()
                t.column("day", .integer).notNull()
                t.column("config_index", .integer).notNull()
                t.column("country", .text).notNull()
                t.column("job_type", .text).notNull()
                t.column("iterations", .integer).notNull()
                t.column("trials", .integer).notNull()
                // pending | assigned | done
                t.column("state", .text).notNull().defaults(to: "pending")
                // Number of the current (or last) attempt; 0 before the first assignment. The fencing token.
                t.column("attempt", .integer).notNull().defaults(to: 0)
                t.column("agent", .text)
                t.column("lease_until", .double)
                t.column("done_at", .double)
                // measured | harness_error, once done
                t.column("outcome", .text)
                t.primaryKey(["collection_id", "id"])
            }
            try db.create(index: "job_by_state", on: "job", columns: ["collection_id", "state", "ordinal"])
            try db.create(table: "attempt") { t in
                t.column("collection_id", .text).notNull()
                t.column("job_id", .text).notNull()
                t.column("attempt", .integer).notNull()
                t.column("agent", .text).notNull()
                t.column("assigned_at", .double).notNull()
                t.column("lease_until", .double).notNull()
                t.column("ended_at", .double)
                // running | completed | expired | released | abandoned | unsent | trainer_unreachable (Schema+Gaps)
                t.column("status", .text).notNull()
                t.primaryKey(["collection_id", "job_id", "attempt"])
                t.foreignKey(["collection_id", "job_id"], references: "job", onDelete: .cascade)
            }
            try db.create(table: "result") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("collection_id", .text).notNull()
                t.column("job_id", .text).notNull()
                t.column("attempt", .integer).notNull()
                t.column("agent", .text).notNull()
                t.column("received_at", .double).notNull()
                // 1 for the one result that counts for the job; 0 for late results kept for audit.
                t.column("counted", .boolean).notNull()
                t.column("success", .boolean).notNull()
                t.column("error_message", .text)
                t.column("duration_ms", .double).notNull()
                t.column("metric_json", .text).notNull()
                t.foreignKey(["collection_id", "job_id"], references: "job", onDelete: .cascade)
            }
            // At most one counted result per job, enforced by SQLite itself.
            try db.execute(sql: """
                CREATE UNIQUE INDEX result_counted_once ON result(collection_id, job_id) WHERE counted = 1
                """)
        }
        registerCheckMigrations(&migrator)
        registerSchedulingMigrations(&migrator)
        registerGapsMigrations(&migrator)
        registerTargetMigrations(&migrator)
        registerReportMigrations(&migrator)
        registerResultColumnMigrations(&migrator)
        registerAttemptTableMigrations(&migrator)
        return migrator
    }
}
