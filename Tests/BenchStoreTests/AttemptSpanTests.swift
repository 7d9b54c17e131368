import BenchCore
@testable import BenchStore
import Foundation
import GRDB
import Testing

/// `attemptSpans`: every attempt with its agent, times and how it ended, as the HTML report's timeline draws it.
@Suite("Store: attempts for the report's timeline")
struct AttemptSpanTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)
    static let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1,
                                                     countries: ["fr", "de", "it"])], maxAttempts: 3)

    @Test("succeeded, failed, expired then re-dispatched, and running attempts, in assignment order")
    func outcomes() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Self.plan, forceNew: false, now: t0)
        let id = collection.id
        func lease(_ agent: String, _ at: Date) throws -> JobLease {
            try #require(try store.leaseNextJob(collectionID: id, agent: agent, leaseSeconds: 10, dayGapSeconds: 0,
                                                now: at).lease)
        }
        // Job 1: lost by a1 (lease expired), then measured successfully by a2 as attempt 2.
        let lost = try lease("a1", t0)
        #expect(try store.expireLeases(collectionID: id, maxAttempts: 3, now: t0 + 11).count == 1)
        let retry = try lease("a2", t0 + 12)
        #expect(retry.job.id == lost.job.id && retry.attempt == 2)
        #expect(try store.recordResult(collectionID: id, ResultSubmission(
            jobID: retry.job.id, attempt: 2, agent: "a2",
            metric: .sample(retry.job, attempt: 2, agent: "a2")), now: t0 + 14) == .committed)
        // Job 2: a failed measurement. Job 3: still running.
        let failing = try lease("a1", t0 + 15)
        #expect(try store.recordResult(collectionID: id, ResultSubmission(
            jobID: failing.job.id, attempt: 1, agent: "a1",
            metric: .sample(failing.job, attempt: 1, agent: "a1", success: false)), now: t0 + 16) == .committed)
        let running = try lease("a2", t0 + 17)

        let spans = try store.attemptSpans(collectionID: id)
        #expect(spans.map(\.jobID) == [lost.job.id, lost.job.id, failing.job.id, running.job.id])
        #expect(spans.map(\.attempt) == [1, 2, 1, 1])
        #expect(spans.map(\.agent) == ["a1", "a2", "a1", "a2"])
        #expect(spans.map(\.outcome) == [.expired, .succeeded, .failed, .running])
        #expect(spans.map(\.start) == [t0, t0 + 12, t0 + 15, t0 + 17])
        #expect(spans.map(\.end) == [t0 + 11, t0 + 14, t0 + 16, nil])
        #expect(spans.allSatisfy { $0.jobType == "small" && $0.day == 1 })
    }

    /// The read as SQLite orders it by itself: a lookup of each attempt's result and a sort of every row. The
    /// store's read walks both tables in key order and sorts in memory instead; it must give exactly this.
    static func oracle(path: String, collectionID: String) throws -> [AttemptSpan] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.job_id, a.attempt, a.agent, a.assigned_at, a.ended_at, a.status, j.job_type, j.day,
                  (SELECT max(r.success) FROM result r WHERE r.collection_id = a.collection_id
                     AND r.job_id = a.job_id AND r.attempt = a.attempt) AS success
                FROM attempt a JOIN job j ON j.collection_id = a.collection_id AND j.id = a.job_id
                WHERE a.collection_id = ? ORDER BY a.assigned_at, j.ordinal, a.attempt
                """, arguments: [collectionID]).map { row in
                AttemptSpan(jobID: row[0], attempt: row[1], agent: row[2], jobType: row[6], day: row[7],
                            start: Date(timeIntervalSince1970: row[3]),
                            end: (row[4] as Double?).map(Date.init(timeIntervalSince1970:)),
                            outcome: try #require(BenchStore.attemptOutcome(status: row[5], success: row[8])))
            }
        }
    }

    @Test("many attempts, ties in assignment time, ids out of matrix order, non-ASCII ids: SQLite's own order")
    func matchesSQLiteOrder() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        // Countries whose ids sort neither as the matrix does nor the same as bytes and as Swift strings compare
        // them ("e" + combining acute against the precomposed letter), two configs, two days.
        let plan = Plan(days: 2, jobs: [
            JobConfig(type: "small", iterations: 1, trials: 1, countries: ["zz", "é", "aa", "mm", "e\u{301}t"]),
            JobConfig(type: "large", iterations: 2, trials: 1, countries: ["qq", "e\u{301}", "b10", "b9"]),
        ], maxAttempts: 3)
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
        let id = collection.id
        var clock = t0
        // Rounds of leases at one instant (ties broken by the matrix order), then results (some failed), some
        // leases left to expire and re-dispatched, until every job is done.
        for round in 0..<12 {
            var leased: [JobLease] = []
            for agent in ["a1", "a2", "a3"] {
                if let lease = try store.leaseNextJob(collectionID: id, agent: agent, leaseSeconds: 5, dayGapSeconds: 0,
                                                      now: clock).lease { leased.append(lease) }
            }
            if leased.isEmpty { break }
            for (index, lease) in leased.enumerated() where (round + index) % 4 != 3 {
                _ = try store.recordResult(collectionID: id, ResultSubmission(
                    jobID: lease.job.id, attempt: lease.attempt, agent: lease.agent,
                    metric: .sample(lease.job, attempt: lease.attempt, agent: lease.agent,
                                    success: (round + index) % 3 != 0)), now: clock + 1)
            }
            clock += 6
            _ = try store.expireLeases(collectionID: id, maxAttempts: 3, now: clock)
        }
        let spans = try store.attemptSpans(collectionID: id)
        #expect(spans.count > 18)
        #expect(Set(spans.map(\.outcome)).isSuperset(of: [.succeeded, .failed, .expired]))
        #expect(spans == (try Self.oracle(path: db.path, collectionID: id)))
    }

    @Test("jobs never leased lie between leased ones in id order: the walks skip them, as SQLite's join does")
    func jobsWithoutAttempts() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        // Matrix order zz, aa, mm, bb: the first two are leased; bb and mm lie between them in id (byte) order.
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1,
                                                  countries: ["zz", "aa", "mm", "bb"])], maxAttempts: 3)
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
        for (index, agent) in ["a1", "a2"].enumerated() {
            let lease = try #require(try store.leaseNextJob(collectionID: collection.id, agent: agent, leaseSeconds: 10,
                                                            dayGapSeconds: 0, now: t0 + Double(index)).lease)
            #expect(lease.job.country == ["zz", "aa"][index])
        }
        let spans = try store.attemptSpans(collectionID: collection.id)
        #expect(spans.map(\.jobID).map { $0.contains("zz") } == [true, false])
        #expect(spans == (try Self.oracle(path: db.path, collectionID: collection.id)))
    }

    @Test("the three walks the read merges stream in key order: no temporary B-tree")
    func walksInKeyOrder() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        _ = try store.openCollection(plan: Self.plan, forceNew: false, now: t0)
        store.close()
        for sql in [BenchStore.attemptRowsSQL, JobTimelineCursor.sql, FailedAttemptCursor.sql] {
            let plan = try queryPlan(path: db.path, sql: sql, arguments: ["c"])
            #expect(!plan.contains("TEMP B-TREE"), "\(sql): \(plan)")
        }
    }

    @Test("a collection without attempts has an empty timeline")
    func empty() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Self.plan, forceNew: false, now: t0)
        #expect(try store.attemptSpans(collectionID: collection.id).isEmpty)
    }
}
