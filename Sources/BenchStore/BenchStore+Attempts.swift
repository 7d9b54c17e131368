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
    /// then 3.2 s: `mmmbench-bench report`'s attempts step). So three walks go through their keys in the same
    /// order, job id first: the attempts (primary key `(job_id, attempt)`), their jobs (`JobTimelineCursor`,
    /// instead of a join's lookup per attempt) and the failed attempts (`FailedAttemptCursor`, on
    /// `result_by_attempt`), merged here; the spans are sorted by assignment time in memory. The walks are stepped
    /// with SQLite's C API (``SQLiteRowWalk``) and compare the ids where SQLite holds them: the one `String` made
    /// per attempt is its job id, the span's; agents, job types and statuses are each made once (``TextInterner``).
    static func attemptSpans(_ db: Database, collectionID: String, path: String) throws -> [AttemptSpan] {
        let rows = try SQLiteRowWalk(db, sql: attemptRowsSQL, arguments: [.text(collectionID)])
        var jobs = try JobTimelineCursor(db, collectionID: collectionID)
        var failures = try FailedAttemptCursor(db, collectionID: collectionID)
        var agents = TextInterner()
        var statuses = TextInterner()
        var spans: [AttemptSpan] = []
        var order: [AttemptOrderKey] = []
        while try rows.step() {
            let jobID = rows.text(0)
            // Every attempt has its job (a foreign key); one without would have been left out by a join too.
            guard let job = try jobs.job(id: jobID) else { continue }
            let attempt = rows.int(1)
            let status = statuses.string(rows.text(5))
            // Only a failed measurement changes how a completed attempt is drawn (`attemptOutcome`).
            let failed = try failures.failed(jobID: jobID, attempt: attempt)
            guard let outcome = Self.attemptOutcome(status: status, success: failed ? false : nil) else {
                throw StoreError(.corruptRow, path: path, reason: "attempt status '\(status)' unknown")
            }
            let start = rows.double(3) ?? 0
            order.append(AttemptOrderKey(start: start, ordinal: job.ordinal, attempt: attempt, index: spans.count))
            spans.append(AttemptSpan(
                jobID: String(decoding: jobID, as: UTF8.self), attempt: attempt, agent: agents.string(rows.text(2)),
                jobType: job.jobType, day: job.day, start: Date(timeIntervalSince1970: start),
                end: rows.double(4).map(Date.init(timeIntervalSince1970:)), outcome: outcome))
        }
        order.sort()
        return order.map { spans[$0.index] }
    }

    /// The attempts of a collection in their primary key's order, `(job_id, attempt)`.
    static let attemptRowsSQL = """
        SELECT job_id, attempt, agent, assigned_at, ended_at, status FROM attempt
        WHERE collection_id = ? ORDER BY job_id, attempt
        """

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
