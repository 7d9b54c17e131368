import BenchCore
import Foundation
import GRDB

/// The single source of truth of a collection: an SQLite file in WAL mode with `synchronous=FULL` on the writer.
///
/// Every method is one transaction named for its intent. A result is committed (and fsynced) before the method
/// returns, so a caller that acknowledges or counts a result after `recordResults` never loses it to a crash.
public final class BenchStore: Sendable {
    /// Path of the database file.
    public let path: String
    let pool: DatabasePool
    /// The single-writer lock, held until ``close()`` when opened with ``init(soleWriterOf:)``.
    let writerLock: ExclusiveFileLock?

    /// Opens (creating if needed) and migrates the database at `path`, without the single-writer lock (readers such
    /// as `status` and `report`, tests).
    public convenience init(path: String) throws(StoreError) {
        try self.init(path: path, writerLock: nil)
    }

    /// Opens the database at `path` as the one process that drives its collection (a coordinator or `collect`): takes
    /// the single-writer lock on the file itself first (``ExclusiveFileLock``), so a second writer is refused however
    /// it spells the path. The lock is released by ``close()`` (or when the store is released), after the SQLite
    /// connections are closed.
    /// - Throws: ``StoreError`` `.locked` when another process holds the lock, `.open` otherwise.
    public convenience init(soleWriterOf path: String) throws(StoreError) {
        let lock: ExclusiveFileLock
        do {
            lock = try ExclusiveFileLock(lockingFileAt: path)
        } catch {
            switch error.code {
            case .held:
                throw StoreError(.locked, path: path,
                                 reason: "another mmmbench process (a coordinator or collect) is running a collection "
                                    + "on this database (locked: \(error.reason))")
            case .open:
                throw StoreError(.open, path: path, reason: "cannot open the database file: \(error.reason)")
            }
        }
        try self.init(path: path, writerLock: lock)
    }

    private init(path: String, writerLock: ExclusiveFileLock?) throws(StoreError) {
        self.path = path
        self.writerLock = writerLock
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.label = "mmmbench"
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // DatabasePool switches the writer to synchronous=NORMAL when it enables WAL; a committed result must
            // survive power loss, so set FULL afterwards, on the writer connection itself.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try pool.read { db in try Schema.refuseNewerSchema(db, path: path) }
            try Schema.migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            writerLock?.release()
            throw StoreError(.open, path: path, reason: "cannot open database: \(error)")
        }
    }

    /// Closes the SQLite connections, then releases the single-writer lock if this store holds it (in that order:
    /// closing the lock's descriptor drops this process's POSIX locks on the file, SQLite's included). Idempotent;
    /// later operations fail.
    public func close() {
        try? pool.close()
        writerLock?.release()
    }

    deinit {
        if writerLock != nil { close() }
    }

    /// `PRAGMA synchronous` as the writer connection reports it (2 = FULL).
    public func writerSynchronousMode() throws(StoreError) -> Int {
        try StoreError.wrap(path, "read synchronous") {
            try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
        }
    }

    /// `PRAGMA journal_mode` (expected `wal`).
    public func journalMode() throws(StoreError) -> String {
        try StoreError.wrap(path, "read journal_mode") {
            try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
        }
    }

    // MARK: - Collections

    /// The newest collection, if any.
    public func currentCollection() throws(StoreError) -> CollectionInfo? {
        try StoreError.wrap(path, "read collection") {
            try pool.read { db in try Self.fetchCurrentCollection(db, path: path) }
        }
    }

    /// Resumes the current collection if its plan equals `plan`, creates one if there is none (or `forceNew`).
    ///
    /// Throws `.planMismatch` naming both plans' differences when the stored plan differs and `forceNew` is false.
    public func openCollection(plan: Plan, forceNew: Bool, now: Date = Date()) throws(StoreError)
        -> (collection: CollectionInfo, created: Bool)
    {
        try StoreError.wrap(path, "open collection") {
            try pool.write { db in
                if let current = try Self.fetchCurrentCollection(db, path: path), !forceNew {
                    guard current.plan == plan else {
                        throw StoreError(
                            .planMismatch, path: path,
                            reason: "the collection \(current.id) in this database was started with a different "
                                + "plan (\(PlanDifference.describe(stored: current.plan, requested: plan))). "
                                + "Run with the same plan to resume it, or pass --new to start a new collection "
                                + "(the old one stays in the database).")
                    }
                    return (current, false)
                }
                return (try Self.insertCollection(db, plan: plan, now: now), true)
            }
        }
    }

    static func insertCollection(_ db: Database, plan: Plan, now: Date) throws -> CollectionInfo {
        let id = "c-" + UUID().uuidString.lowercased().prefix(8)
        try db.execute(
            sql: "INSERT INTO collection (id, created_at, plan_json) VALUES (?, ?, ?)",
            arguments: [id, now.timeIntervalSince1970, plan.canonicalJSON()])
        let insert = try db.makeStatement(sql: """
            INSERT INTO job (collection_id, id, ordinal, day, config_index, country, job_type, iterations, trials,
                             target)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // One row per task: per job, or per (job, target) in an A/B collection (docs/architecture.md).
        for job in plan.expandTasks() {
            try insert.execute(arguments: [
                id, job.taskID, job.ordinal, job.day, job.configIndex, job.country, job.jobType, job.iterations,
                job.trials, job.target ?? "",
            ])
        }
        return CollectionInfo(id: id, createdAt: now, plan: plan, completedAt: nil)
    }

    static func fetchCurrentCollection(_ db: Database, path: String) throws -> CollectionInfo? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT * FROM collection ORDER BY created_at DESC, rowid DESC LIMIT 1")
        else { return nil }
        return try collection(from: row, path: path)
    }

    static func collection(from row: Row, path: String) throws -> CollectionInfo {
        let id: String = row["id"]
        let plan: Plan
        do {
            plan = try Plan.fromCanonicalJSON(row["plan_json"])
        } catch {
            throw StoreError(.corruptRow, path: path, reason: "collection \(id): stored plan unreadable: \(error)")
        }
        let completed: Double? = row["completed_at"]
        return CollectionInfo(
            id: id, createdAt: Date(timeIntervalSince1970: row["created_at"]), plan: plan,
            completedAt: completed.map(Date.init(timeIntervalSince1970:)))
    }

    /// Marks the collection finished (idempotent; keeps the first completion time).
    public func markCompleted(collectionID: String, now: Date = Date()) throws(StoreError) {
        try StoreError.wrap(path, "mark completed") {
            try pool.write { db in
                try db.execute(
                    sql: "UPDATE collection SET completed_at = ? WHERE id = ? AND completed_at IS NULL",
                    arguments: [now.timeIntervalSince1970, collectionID])
            }
        }
    }
}
