import BenchCore
import GRDB

extension Schema {
    /// Interleaved A/B collections: one job row per (job, target). The row's `id` is the task id (`JobSpec.taskID`:
    /// the seed's job id, or `{id}@{target}` for one side), so attempts, leases, results and the existing
    /// `result_counted_once` index (one counted result per row) hold per (job, target) unchanged; `target` names
    /// the side ('' in a one-target collection, which is every collection made before this migration).
    static func registerTargetMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-ab-targets") { db in
            try db.alter(table: "job") { t in
                t.add(column: "target", .text).notNull().defaults(to: "")
            }
            // Each (job, target) exists once per collection.
            try db.create(index: "job_one_row_per_target", on: "job",
                          columns: ["collection_id", "day", "config_index", "country", "target"], unique: true)
        }
    }
}
