import GRDB

extension Schema {
    /// Indexes the coordinator's write path needs: every recorded result looks up the results of its attempt
    /// (duplicate detection), which without an index scans the whole result table (quadratic in the collection).
    static func registerSchedulingMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-result-by-attempt-index") { db in
            try db.create(index: "result_by_attempt", on: "result", columns: ["collection_id", "job_id", "attempt"])
        }
    }
}
