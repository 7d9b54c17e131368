import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation
import GRDB
import NIOConcurrencyHelpers

/// The agent's on-disk outbox: every finished attempt's `result`, kept until the coordinator acknowledges it.
///
/// One SQLite file in WAL mode with `synchronous=FULL` on the writer connection, so a result that
/// ``store(_:)`` or ``apply(storing:removing:)`` returned from survives a crash or power loss and is resent by the
/// next agent started with the same file. Many results are written in one transaction (one fsync) when they finish
/// together. The single-writer lock on the file itself (``ExclusiveFileLock``) keeps two agents from sharing one
/// outbox, however its path is spelled.
public final class Outbox: Sendable {
    /// The outbox file.
    public let path: String
    private let pool: DatabasePool
    private let lock: ExclusiveFileLock
    private let isClosed = NIOLockedValueBox(false)

    /// Opens (creating if needed) the outbox at `path` and takes its lock.
    /// - Throws: ``OutboxError`` `.locked` when another process uses the file, `.open` for anything else.
    public convenience init(path: String) throws(OutboxError) {
        try self.init(path: path, lastMigration: nil)
    }

    /// Opens the outbox with its schema migrated up to `lastMigration` (every migration when nil); tests use it to
    /// build files as older agents wrote them.
    init(path: String, lastMigration: String?) throws(OutboxError) {
        self.path = path
        let lock: ExclusiveFileLock
        do {
            lock = try ExclusiveFileLock(lockingFileAt: path)
        } catch {
            switch error.code {
            case .held:
                throw OutboxError(.locked, operation: "lock", path: path,
                                  reason: "another agent is using this outbox; give each agent its own")
            case .open:
                throw OutboxError(.open, operation: "lock", path: path, reason: "cannot open \(error)")
            }
        }
        self.lock = lock
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "mmmbench.outbox"
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // DatabasePool switches the writer to synchronous=NORMAL when it enables WAL; a result must be on disk
            // before it is sent, so set FULL afterwards, on the writer connection itself.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            if let lastMigration {
                try Self.migrator.migrate(pool, upTo: lastMigration)
            } else {
                try Self.migrator.migrate(pool)
            }
        } catch {
            lock.release()
            throw OutboxError(error, code: .open, operation: "open", path: path)
        }
    }

    /// Closes the file and releases its lock, so another agent (or a test) can open it at once. Later calls throw
    /// ``OutboxError`` `.closed`. Call it when nothing else uses the outbox.
    public func close() {
        let wasClosed = isClosed.withLockedValue { closed -> Bool in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        try? pool.close()
        lock.release()
    }

    deinit {
        close()
    }

    private func checkOpen(_ operation: String) throws(OutboxError) {
        if isClosed.withLockedValue({ $0 }) {
            throw OutboxError(.closed, operation: operation, path: path, reason: "the outbox is closed")
        }
    }

    /// Writes `entries` durably, in one transaction. A result already stored for the same attempt of the same
    /// collection is replaced.
    public func store(_ entries: [OutboxEntry]) throws(OutboxError) {
        try checkOpen("store results")
        let rows = try Self.rows(entries, path: path)
        _ = try OutboxError.wrap(.write, "store results", path: path) {
            try pool.write { db in try Self.apply(db, inserting: rows, deleting: [], refusing: []) }
        }
    }

    /// Deletes the results `keys` name (acknowledged by the coordinator), in one transaction: for each key the row
    /// of its attempt in its collection, and an untagged row of that attempt. Unknown keys are ignored. Returns how
    /// many rows were deleted.
    @discardableResult
    public func remove(_ keys: [OutboxKey]) throws(OutboxError) -> Int {
        try checkOpen("remove results")
        return try OutboxError.wrap(.write, "remove results", path: path) {
            try pool.write { db in try Self.apply(db, inserting: [], deleting: keys, refusing: []) }
        }
    }

    /// Stores `entries`, deletes `removed` (as ``remove(_:)``) and marks `refused` rows (kept, with the reason and
    /// time, matched like deletions) in one transaction (one fsync) without blocking a cooperative thread: the group
    /// commit of the agent. Returns how many rows were deleted.
    @discardableResult
    public func apply(
        storing entries: [OutboxEntry], removing removed: [OutboxKey], refusing refused: [OutboxRefusal] = []
    ) async throws(OutboxError) -> Int {
        try checkOpen("store and remove results")
        let rows = try Self.rows(entries, path: path)
        let refusedAt = WireTimestamp.now().rawValue
        do {
            return try await pool.write { db in
                try Self.apply(db, inserting: rows, deleting: removed, refusing: refused, at: refusedAt)
            }
        } catch {
            throw OutboxError(error, code: .write, operation: "store and remove results", path: path)
        }
    }

    /// Every stored result of every collection (refused ones included), oldest first.
    public func pendingResults() throws(OutboxError) -> [WireMessage.TaskResult] {
        try pendingEntries().map(\.result)
    }

    /// Every stored result with its collection and refusal, if any, oldest first.
    public func pendingEntries() throws(OutboxError) -> [OutboxEntry] {
        try checkOpen("read results")
        let records = try OutboxError.wrap(.read, "read results", path: path) {
            try pool.read { db in
                try OutboxRecord.order(OutboxRecord.Columns.sequence).fetchAll(db)
            }
        }
        return try records.map { record throws(OutboxError) in
            try OutboxError.wrap(.corruptRow, "decode result", path: path) { try record.entry() }
        }
    }

    /// The attempts whose results are stored and not refused, of every collection, each once, oldest first (hello's
    /// `queued_results`).
    public func pendingTasks() throws(OutboxError) -> [TaskRef] {
        try checkOpen("read queued tasks")
        return try OutboxError.wrap(.read, "read queued tasks", path: path) {
            try pool.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT task_id, attempt FROM outbox_result WHERE refused_reason IS NULL
                    GROUP BY task_id, attempt ORDER BY min(sequence)
                    """)
                return rows.map { TaskRef(taskID: $0["task_id"], attempt: $0["attempt"]) }
            }
        }
    }

    /// `PRAGMA synchronous` as the writer connection reports it (2 = FULL).
    public func writerSynchronousMode() throws(OutboxError) -> Int {
        try checkOpen("read synchronous")
        return try OutboxError.wrap(.read, "read synchronous", path: path) {
            try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
        }
    }

    /// Runs `sql` on the writer, for tests that write rows as an older schema holds them.
    func executeRawSQL(_ sql: String) throws(OutboxError) {
        try checkOpen("execute SQL")
        try OutboxError.wrap(.write, "execute SQL", path: path) { try pool.write { db in try db.execute(sql: sql) } }
    }

    /// `PRAGMA journal_mode` (expected `wal`).
    public func journalMode() throws(OutboxError) -> String {
        try checkOpen("read journal_mode")
        return try OutboxError.wrap(.read, "read journal_mode", path: path) {
            try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
        }
    }

    private static func rows(_ entries: [OutboxEntry], path: String) throws(OutboxError) -> [OutboxRecord] {
        try OutboxError.wrap(.write, "encode results", path: path) { try entries.map(OutboxRecord.init) }
    }

    private static func apply(
        _ db: Database, inserting rows: [OutboxRecord], deleting keys: [OutboxKey], refusing refused: [OutboxRefusal],
        at refusedAt: String = ""
    ) throws -> Int {
        if !rows.isEmpty {
            let insert = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO outbox_result (collection_id, task_id, attempt, outcome_json, finished_at)
                VALUES (?, ?, ?, ?, ?)
                """)
            for row in rows {
                try insert.execute(arguments: [row.collectionID, row.taskID, row.attempt, row.outcomeJSON,
                                               row.finishedAt])
            }
        }
        var deleted = 0
        if !keys.isEmpty {
            let delete = try db.cachedStatement(sql: """
                DELETE FROM outbox_result WHERE task_id = ? AND attempt = ?
                  AND (collection_id IS NULL OR collection_id = ?)
                """)
            for key in keys {
                try delete.execute(arguments: [key.task.taskID, key.task.attempt, key.collectionID])
                deleted += db.changesCount
            }
        }
        if !refused.isEmpty {
            let mark = try db.cachedStatement(sql: """
                UPDATE outbox_result SET refused_reason = ?, refused_at = ? WHERE task_id = ? AND attempt = ?
                  AND (collection_id IS NULL OR collection_id = ?)
                """)
            for refusal in refused {
                try mark.execute(arguments: [refusal.reason, refusedAt, refusal.key.task.taskID,
                                             refusal.key.task.attempt, refusal.key.collectionID])
            }
        }
        return deleted
    }

    /// The schema as named migrations; never edit one once merged, add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-outbox-results") { db in
            try db.create(table: OutboxRecord.databaseTableName) { t in
                t.autoIncrementedPrimaryKey("sequence")
                t.column("task_id", .text).notNull()
                t.column("attempt", .integer).notNull()
                t.column("outcome_json", .text).notNull()
                t.column("finished_at", .text).notNull()
                t.uniqueKey(["task_id", "attempt"], onConflict: .replace)
            }
        }
        // Results carry their collection: one attempt may hold a result in several collections (a coordinator
        // restarted with `--new` reuses job ids). Rows of v1 keep a NULL collection and their order.
        migrator.registerMigration("v2-outbox-collection") { db in
            try db.create(table: "outbox_result_v2") { t in
                t.autoIncrementedPrimaryKey("sequence")
                t.column("collection_id", .text)
                t.column("task_id", .text).notNull()
                t.column("attempt", .integer).notNull()
                t.column("outcome_json", .text).notNull()
                t.column("finished_at", .text).notNull()
            }
            try db.execute(sql: """
                INSERT INTO outbox_result_v2 (sequence, collection_id, task_id, attempt, outcome_json, finished_at)
                SELECT sequence, NULL, task_id, attempt, outcome_json, finished_at FROM outbox_result
                """)
            try db.drop(table: OutboxRecord.databaseTableName)
            try db.rename(table: "outbox_result_v2", to: OutboxRecord.databaseTableName)
            try db.execute(sql: """
                CREATE UNIQUE INDEX outbox_result_attempt
                ON outbox_result (coalesce(collection_id, ''), task_id, attempt)
                """)
        }
        // A result the coordinator answered `ack` `refused` stays, marked with the reason and when it arrived.
        migrator.registerMigration("v3-outbox-refused") { db in
            try db.alter(table: OutboxRecord.databaseTableName) { t in
                t.add(column: "refused_reason", .text)
                t.add(column: "refused_at", .text)
            }
        }
        return migrator
    }
}
