import Foundation
import GRDB

/// An online backup of a collection database: SQLite's backup API copies every page of one read snapshot, so the
/// copy is consistent (a state the database really had, every committed result in it or none of a transaction)
/// while a coordinator keeps writing. The copy is written to a temporary file beside the target, checked with
/// `PRAGMA integrity_check`, fsynced and renamed into place, so the target is never half written.
public enum StoreBackup {
    /// What a backup copied.
    public struct Summary: Sendable, Equatable {
        /// The backup file written.
        public let path: String
        /// Its size in bytes.
        public let bytes: Int
        /// The schema version (newest migration) of the copy.
        public let schemaVersion: String
        /// The newest collection in the copy and its jobs done / total, if it holds one.
        public let collectionID: String?
        public let jobsDone: Int
        public let jobsTotal: Int
    }

    /// Copies the database at `source` to `target`.
    /// - Parameter force: replace an existing `target` (otherwise `.backupTargetExists`).
    /// - Throws: ``StoreError`` `.open` (no readable database at `source`), `.backupTargetExists`, `.sql` (the copy
    ///   failed or did not pass the integrity check; no target is left behind).
    public static func backup(databaseAt source: String, to target: String, force: Bool) throws(StoreError)
        -> Summary
    {
        let manager = FileManager.default
        guard manager.fileExists(atPath: source) else {
            throw StoreError(.open, path: source, reason: "no database at \(source)")
        }
        guard URL(fileURLWithPath: source).standardizedFileURL != URL(fileURLWithPath: target).standardizedFileURL
        else { throw StoreError(.backupTargetExists, path: target, reason: "the backup cannot be the database") }
        if manager.fileExists(atPath: target) && !force {
            throw StoreError(.backupTargetExists, path: target,
                             reason: "the file exists; pass --force to replace it (or choose another file)")
        }
        let directory = URL(fileURLWithPath: target).deletingLastPathComponent().path
        let temporary = directory + "/." + URL(fileURLWithPath: target).lastPathComponent + ".partial-"
            + UUID().uuidString.prefix(8)
        defer { removeDatabaseFiles(temporary) }
        let summary = try copy(source: source, temporary: temporary, target: target)
        try StoreError.wrap(target, "install backup") {
            try fsyncFile(temporary)
            guard rename(temporary, target) == 0 else {
                throw StoreError(.sql, path: target, reason: "rename \(temporary): \(String(cString: strerror(errno)))")
            }
            try fsyncFile(directory)
        }
        return summary
    }

    private static func copy(source: String, temporary: String, target: String) throws(StoreError) -> Summary {
        var sourceConfiguration = Configuration()
        sourceConfiguration.readonly = true
        sourceConfiguration.busyMode = .timeout(10)
        sourceConfiguration.label = "mmmbench-backup-source"
        let sourcePool: DatabasePool
        do {
            sourcePool = try DatabasePool(path: source, configuration: sourceConfiguration)
        } catch {
            throw StoreError(.open, path: source, reason: "cannot open database: \(error)")
        }
        return try StoreError.wrap(target, "back up \(source)") {
            let destination = try DatabaseQueue(path: temporary)
            // One read transaction, all pages in one step: a single snapshot, whatever the writer does meanwhile.
            try sourcePool.backup(to: destination)
            let summary = try destination.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard check == ["ok"] else {
                    throw StoreError(.sql, path: target,
                                     reason: "the copy failed PRAGMA integrity_check: \(check.joined(separator: "; "))")
                }
                return try summarize(db, target: target)
            }
            // A self-contained single file (rollback journal, no -wal beside it); opening it with mmmbench turns
            // WAL on again.
            try destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try destination.close()
            let attributes = try? FileManager.default.attributesOfItem(atPath: temporary)
            let bytes = (attributes?[.size] as? Int) ?? 0
            return Summary(path: target, bytes: bytes, schemaVersion: summary.schema,
                           collectionID: summary.collection, jobsDone: summary.done, jobsTotal: summary.total)
        }
    }

    private static func summarize(_ db: Database, target: String) throws
        -> (schema: String, collection: String?, done: Int, total: Int)
    {
        let schema = try db.tableExists("grdb_migrations")
            ? try String.fetchOne(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid DESC LIMIT 1") ?? ""
            : ""
        guard try db.tableExists("collection"),
              let collection = try String.fetchOne(
                db, sql: "SELECT id FROM collection ORDER BY created_at DESC, rowid DESC LIMIT 1")
        else { return (schema, nil, 0, 0) }
        let row = try Row.fetchOne(db, sql: """
            SELECT count(*) AS total, coalesce(sum(state = 'done'), 0) AS done FROM job WHERE collection_id = ?
            """, arguments: [collection])
        return (schema, collection, row?["done"] ?? 0, row?["total"] ?? 0)
    }

    private static func fsyncFile(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError(.sql, path: path, reason: "open for fsync: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw StoreError(.sql, path: path, reason: "fsync: \(String(cString: strerror(errno)))")
        }
    }

    private static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
