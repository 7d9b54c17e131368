import BenchCore
import Foundation
import GRDB

extension BenchStore {
    /// Every attempt of a collection with its job's type and day and how it ended (a completed attempt is
    /// `succeeded` or `failed` by the result it delivered), ordered by assignment time: the report's timeline.
    public func attemptSpans(collectionID: String) throws(StoreError) -> [AttemptSpan] {
        try StoreError.wrap(path, "read attempts") {
            try pool.read { db in try Self.attemptSpans(db, collectionID: collectionID, path: path) }
        }
    }

    /// The attempts in assignment order (then matrix order, then attempt number).
    ///
    /// At 10^6 attempts, asking SQLite for that order cost more than the rest of the read: a correlated lookup of
    /// each attempt's result and a temporary B-tree of every row for `ORDER BY assigned_at` (the read took 5.2 s,
    /// now 3.2 s: `mmmbench-bench report`'s attempts step). So two cursors walk their keys in the same order,
    /// `(job_id, attempt)`: the attempts (primary key) and the results' success (`result_by_attempt`), merged here,
    /// and the spans are sorted by assignment time in memory.
    static func attemptSpans(_ db: Database, collectionID: String, path: String) throws -> [AttemptSpan] {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT a.job_id, a.attempt, a.agent, a.assigned_at, a.ended_at, a.status, j.job_type, j.day, j.ordinal
            FROM attempt a JOIN job j ON j.collection_id = a.collection_id AND j.id = a.job_id
            WHERE a.collection_id = ? ORDER BY a.job_id, a.attempt
            """, arguments: [collectionID])
        var successes = try ResultSuccessCursor(db, collectionID: collectionID)
        var spans: [AttemptSpan] = []
        var order: [AttemptOrderKey] = []
        while let row = try rows.next() {
            let jobID: String = row[0]
            let attempt: Int = row[1]
            let status: String = row[5]
            let success = try successes.success(jobID: jobID, attempt: attempt)
            guard let outcome = Self.attemptOutcome(status: status, success: success) else {
                throw StoreError(.corruptRow, path: path, reason: "attempt status '\(status)' unknown")
            }
            let start: Double = row[3]
            order.append(AttemptOrderKey(start: start, ordinal: row[8], attempt: attempt, index: spans.count))
            spans.append(AttemptSpan(
                jobID: jobID, attempt: attempt, agent: row[2], jobType: row[6], day: row[7],
                start: Date(timeIntervalSince1970: start),
                end: (row[4] as Double?).map(Date.init(timeIntervalSince1970:)), outcome: outcome))
        }
        order.sort()
        return order.map { spans[$0.index] }
    }

    /// The timeline outcome of an attempt row: its status, and for a completed attempt its result's success.
    static func attemptOutcome(status: String, success: Bool?) -> AttemptSpan.Outcome? {
        switch status {
        case "running": .running
        case "completed": success == false ? .failed : .succeeded
        case "expired": .expired
        case "abandoned": .abandoned
        case "released": .released
        // Closed without reaching an agent's trainer: never delivered (a coordinator restart), or delivered to an
        // agent that could not reach its trainer; neither is a measurement, both are drawn as harness events.
        case "unsent": .released
        case "trainer_unreachable": .abandoned
        default: nil
        }
    }
}

/// Where an attempt goes on the timeline: assignment time, then the job's place in the matrix, then the attempt.
struct AttemptOrderKey: Comparable {
    let start: Double
    let ordinal: Int
    let attempt: Int
    /// Its span's place in the order read.
    let index: Int

    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.start, lhs.ordinal, lhs.attempt, lhs.index) < (rhs.start, rhs.ordinal, rhs.attempt, rhs.index)
    }
}
