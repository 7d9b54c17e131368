import GRDB

extension Schema {
    /// The newest migration this build knows (the schema version it writes).
    static var newestKnownMigration: String { migrator.migrations.last ?? "" }

    /// Refuses a database that a newer mmmbench migrated (it lists migrations this build does not know), before
    /// anything is written to it: migrations only go forward, and an older binary writing into a newer schema could
    /// corrupt what the newer one relies on.
    static func refuseNewerSchema(_ db: Database, path: String) throws {
        guard try db.tableExists("grdb_migrations") else { return }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        let known = Set(migrator.migrations)
        let unknown = applied.filter { !known.contains($0) }
        guard !unknown.isEmpty else { return }
        throw StoreError(
            .newerSchema, path: path,
            reason: "this database was written by a newer mmmbench: its schema is at migration "
                + "'\(applied.last ?? "")', this mmmbench knows migrations up to '\(newestKnownMigration)' and not "
                + "\(unknown.map { "'\($0)'" }.joined(separator: ", ")). Use that newer mmmbench (or a newer one) "
                + "with this database; nothing was changed in it.")
    }
}
