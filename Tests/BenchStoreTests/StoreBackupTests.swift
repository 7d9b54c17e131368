import BenchCore
@testable import BenchStore
import Foundation
import GRDB
import Synchronization
import Testing

@Suite("Store: online backup")
struct StoreBackupTests {
    static let agent = "agent-1"

    /// Leases and records the next job; false when every job is done.
    static func completeNextJob(_ store: BenchStore, collectionID: String) throws -> Bool {
        guard case .leased(let lease) = try store.leaseNextJob(
            collectionID: collectionID, agent: agent, leaseSeconds: 600, dayGapSeconds: 0)
        else { return false }
        let metric = BaselineMetric.sample(lease.job, attempt: lease.attempt, agent: agent)
        _ = try store.recordResult(
            collectionID: collectionID,
            ResultSubmission(jobID: lease.job.id, attempt: lease.attempt, agent: agent, metric: metric))
        return true
    }

    /// The number of jobs, in matrix order, whose counted result is in the database, after checking that they are
    /// exactly the first ones of the matrix (a prefix: the writer completes jobs in that order).
    static func countedPrefix(_ path: String, plan: Plan) throws -> Int {
        let store = try BenchStore(path: path)
        let collection = try #require(try store.currentCollection())
        let counted = Set(try store.countedMetrics(collectionID: collection.id).map(\.jobID))
        let order = plan.expandJobs().map(\.id)
        let prefix = Set(order.prefix(counted.count))
        #expect(counted == prefix, "the backup holds results that are not a prefix of the writer's order")
        return counted.count
    }

    @Test("backups taken while another thread commits results are intact, consistent prefixes of its writes")
    func backupWhileWriting() throws {
        let db = try TemporaryDatabase()
        let plan = Plan(days: 40)
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false)
        let warmedUp = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let stop = Atomic<Bool>(false)
        let written = Atomic<Int>(0)
        let failure = PThreadLockedValue<String?>(nil)
        let writer = Thread {
            defer { finished.signal() }
            do {
                while !stop.load(ordering: .acquiring) {
                    guard try Self.completeNextJob(store, collectionID: collection.id) else { break }
                    if written.add(1, ordering: .releasing).newValue == 50 { warmedUp.signal() }
                }
            } catch {
                failure.withLock { $0 = "\(error)" }
                warmedUp.signal()
            }
        }
        writer.start()
        warmedUp.wait()
        var previous = 0
        for index in 1...3 {
            let target = db.directory + "/backup-\(index).sqlite"
            let summary = try StoreBackup.backup(databaseAt: db.path, to: target, force: false)
            #expect(summary.collectionID == collection.id && summary.jobsTotal == 360)
            #expect(summary.schemaVersion == Schema.newestKnownMigration)
            let counted = try Self.countedPrefix(target, plan: plan)
            #expect(counted >= 50 && counted >= previous && counted == summary.jobsDone)
            previous = counted
        }
        stop.store(true, ordering: .releasing)
        finished.wait()
        #expect(failure.withLock { $0 } == nil, "the writer failed while backups ran")
        #expect(written.load(ordering: .acquiring) >= previous)
    }

    @Test("an existing file is not replaced without force, and is with force")
    func refusesToOverwrite() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Plan(), forceNew: false)
        _ = try Self.completeNextJob(store, collectionID: collection.id)
        let target = db.directory + "/backup.sqlite"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: target))
        #expect {
            try StoreBackup.backup(databaseAt: db.path, to: target, force: false)
        } throws: { error in
            (error as? StoreError)?.kind == .backupTargetExists && "\(error)".contains("--force")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data("keep me".utf8))
        let summary = try StoreBackup.backup(databaseAt: db.path, to: target, force: true)
        #expect(summary.jobsDone == 1)
        #expect(try Self.countedPrefix(target, plan: Plan()) == 1)
        // No partial copy is left beside it.
        let left = try FileManager.default.contentsOfDirectory(atPath: db.directory)
        #expect(left.contains("backup.sqlite") && !left.contains { $0.contains("partial") }, "\(left)")
    }

    @Test("a missing database is an error and creates nothing; the database itself is not a target")
    func missingSource() throws {
        let db = try TemporaryDatabase()
        #expect {
            try StoreBackup.backup(
                databaseAt: db.directory + "/none.sqlite", to: db.directory + "/b.sqlite", force: true)
        } throws: { error in
            (error as? StoreError)?.kind == .open
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: db.directory).isEmpty)
        _ = try BenchStore(path: db.path)
        #expect(throws: StoreError.self) {
            try StoreBackup.backup(databaseAt: db.path, to: db.path, force: true)
        }
    }
}

@Suite("Store: schema versions")
struct StoreSchemaVersionTests {
    @Test("a database a newer mmmbench migrated is refused with both versions named, and left untouched")
    func newerSchemaRefused() throws {
        let db = try TemporaryDatabase()
        do {
            let store = try BenchStore(path: db.path)
            _ = try store.openCollection(plan: Plan(), forceNew: false)
        }
        do {
            let queue = try DatabaseQueue(path: db.path)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
            }
            try queue.close()
        }
        let before = try Self.logicalDump(db.path)
        #expect {
            try BenchStore(path: db.path)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.kind == .newerSchema && error.reason.contains("'v99-from-the-future'")
                && error.reason.contains("'\(Schema.newestKnownMigration)'") && error.reason.contains("newer mmmbench")
        }
        #expect(try Self.logicalDump(db.path) == before, "the refused database was changed")
    }

    /// Every schema object and every row of every table, as text (what "unchanged" means for a database whose
    /// file SQLite may checkpoint on close).
    static func logicalDump(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            let schema = try String.fetchAll(
                db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            var rows: [String] = []
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            for table in tables {
                // Sorted as text: a table without rowid (`attempt`) has no rowid to order by.
                rows += try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { "\(table): \($0)" }.sorted()
            }
            return schema + rows
        }
    }

    @Test("a database of an older mmmbench is migrated forward and keeps its collection")
    func olderSchemaMigratedForward() throws {
        let db = try TemporaryDatabase()
        let first = try #require(Schema.migrator.migrations.first)
        do {
            let queue = try DatabaseQueue(path: db.path)
            try Schema.migrator.migrate(queue, upTo: first)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO collection (id, created_at, plan_json) VALUES ('c-old', 1, ?)",
                               arguments: [Plan().canonicalJSON()])
            }
            try queue.close()
        }
        let store = try BenchStore(path: db.path)
        #expect(try store.currentCollection()?.id == "c-old")
        let queue = try DatabaseQueue(path: db.path)
        let applied = try queue.read { db in try Schema.migrator.appliedMigrations(db) }
        #expect(applied == Schema.migrator.migrations)
    }
}
