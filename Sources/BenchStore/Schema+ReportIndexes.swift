import GRDB

extension Schema {
    /// Indexes the reports read by: the counted results in matrix order (`countedMetrics` joins each job in
    /// `ordinal` order). Without `job_by_ordinal` SQLite sorts every row of the collection in a temporary B-tree
    /// before the first one comes back; with it the rows stream in order. Jobs are written once, when a collection
    /// is created, so the index costs nothing on the coordinator's result path.
    static func registerReportMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v-report-job-by-ordinal-index") { db in
            try db.create(index: "job_by_ordinal", on: "job", columns: ["collection_id", "ordinal"],
                          ifNotExists: true)
        }
    }
}
