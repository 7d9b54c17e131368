import GRDB

extension Schema {
    /// Delivery of attempts (was an assignment ever reported by its agent?) and agents that cannot reach their
    /// trainer (shown by `mmmbench status`).
    static func registerGapsMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-gaps-attempt-delivery") { db in
            // NULL: assigned by the running coordinator and not reported yet (or before this migration);
            // 'confirmed': the agent named it (started, progress, heartbeat, hello) and a round persisted that;
            // 'inherited': still unreported when a later coordinator process started.
            try db.alter(table: "attempt") { t in t.add(column: "delivery", .text) }
        }
        migrator.registerMigration("v4-gaps-agent-trainer") { db in
            try db.create(table: "agent_trainer") { t in
                t.column("collection_id", .text).notNull().references("collection", onDelete: .cascade)
                t.column("agent", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("since", .double).notNull()
                t.primaryKey(["collection_id", "agent"])
            }
        }
    }
}
