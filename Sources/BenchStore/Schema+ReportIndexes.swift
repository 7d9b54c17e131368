import GRDB

extension Schema {
    /// Indexes the reports read by: the counted results in matrix order (`countedMetrics` joins each job in
    /// `ordinal` order). Without `job_by_ordinal` SQLite sorts every row of the collection in a temporary B-tree
    /// before the first one comes back; with it the rows stream in order. Jobs are written once, when a collection
    /// is created, so the index costs nothing on the coordinator's result path.
    ///
    /// `result_by_attempt` (the write path's duplicate check, `v3-result-by-attempt-index`) also carries `success`,
    /// so the timeline's walk of the failed attempts (``FailedAttemptCursor``) reads the index alone instead of
    /// each result's row: at 10^6 results that walk was a tenth of a report's CPU. The index stays one B-tree on
    /// the result path, one integer wider.
    static func registerReportMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v-report-job-by-ordinal-index") { db in
            try db.create(index: "job_by_ordinal", on: "job", columns: ["collection_id", "ordinal"],
                          ifNotExists: true)
        }
        migrator.registerMigration("v-report-result-by-attempt-success") { db in
            try db.drop(index: "result_by_attempt")
            try db.create(index: "result_by_attempt", on: "result",
                          columns: ["collection_id", "job_id", "attempt", "success"])
        }
    }
}
