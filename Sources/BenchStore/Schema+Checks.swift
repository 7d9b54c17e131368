import GRDB

/// Tables of the optimization test suite: one row per suite run, one per check outcome (or share of one).
extension Schema {
    static func registerCheckMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-check-suite-runs-and-outcomes") { db in
            try db.create(table: "check_suite_run") { t in
                t.primaryKey("id", .text)
                // NULL for a standalone run stored in a database that holds no collection.
                t.column("collection_id", .text).references("collection", onDelete: .cascade)
                // before | after | standalone
                t.column("phase", .text).notNull()
                t.column("target", .text).notNull()
                t.column("started_at", .double).notNull()
                t.column("completed_at", .double)
                // JSON list of the disabled checks' short names.
                t.column("disabled_json", .text).notNull()
                // CheckSettings as JSON: the thresholds the outcomes were judged against (and shares combined by).
                t.column("settings_json", .text).notNull()
            }
            try db.create(index: "check_suite_run_by_collection", on: "check_suite_run",
                          columns: ["collection_id", "phase", "started_at"])
            try db.create(table: "check_outcome") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("suite_run_id", .text).notNull().references("check_suite_run", onDelete: .cascade)
                t.column("check_name", .text).notNull()
                // A whole check is share 0 of 1.
                t.column("share_index", .integer).notNull()
                t.column("share_count", .integer).notNull()
                // PASS | FAIL | ERROR
                t.column("status", .text).notNull()
                t.column("duration_ms", .double).notNull()
                t.column("agent", .text)
                t.column("recorded_at", .double).notNull()
                t.column("outcome_json", .text).notNull()
                // One outcome per check share and run: a resent result is not stored twice.
                t.uniqueKey(["suite_run_id", "check_name", "share_index", "share_count"])
            }
        }
    }
}
