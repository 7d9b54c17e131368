import GRDB

/// Read-only checks of any SQLite file of mmmbench (a collection database or an agent outbox), without migrating
/// it or taking its single-writer lock: what the reliability tests and `scripts/nightly` check after a crash.
public enum SQLiteInspection {
    /// `PRAGMA integrity_check` of the file at `path`: `["ok"]` when the file is sound, SQLite's findings otherwise.
    public static func integrityCheck(path: String) throws(StoreError) -> [String] {
        try StoreError.wrap(path, "PRAGMA integrity_check") {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            return try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        }
    }

    /// The store migrations committed in the collection database at `path`, in the order they ran (empty when the
    /// file has none yet).
    public static func appliedMigrations(path: String) throws(StoreError) -> [String] {
        try StoreError.wrap(path, "read applied migrations") {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            return try queue.read { db in
                guard try db.tableExists("grdb_migrations") else { return [] }
                return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
            }
        }
    }

    /// The newest store migration this build knows (the one a `migration` crash point interrupts).
    public static var newestMigration: String { Schema.newestKnownMigration }
}
