import BenchCore
import BenchProtocol
import Foundation
import GRDB

extension BenchStore {
    /// Assigns the next pending job (matrix order) to `agent` as a new attempt with a lease.
    ///
    /// Day pacing is decided here, in the same transaction: a job of day d > 1 starts only when every job of earlier
    /// days is done and `dayGapSeconds` have passed since the last of day d-1 finished (stored times, so pacing
    /// continues across restarts).
    public func leaseNextJob(
        collectionID: String, agent: String, leaseSeconds: Double, dayGapSeconds: Double, now: Date = Date()
    ) throws(StoreError) -> LeaseDecision {
        try StoreError.wrap(path, "lease next job") {
            try pool.write { db in
                try Self.leaseNext(db, collectionID: collectionID, agent: agent, leaseSeconds: leaseSeconds,
                                   dayGapSeconds: dayGapSeconds, now: now)
            }
        }
    }

    /// `leaseNextJob` inside a write transaction.
    static func leaseNext(
        _ db: Database, collectionID: String, agent: String, leaseSeconds: Double, dayGapSeconds: Double, now: Date
    ) throws -> LeaseDecision {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT * FROM job WHERE collection_id = ? AND state = 'pending' ORDER BY ordinal LIMIT 1
            """, arguments: [collectionID])
        else {
            let running = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM job WHERE collection_id = ? AND state = 'assigned'
                """, arguments: [collectionID]) ?? 0
            return running > 0 ? .waitForRunning : .finished
        }
        let job = Self.jobSpec(from: row)
        if job.day > 1 {
            let unfinished = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM job WHERE collection_id = ? AND day < ? AND state != 'done'
                """, arguments: [collectionID, job.day]) ?? 0
            if unfinished > 0 { return .waitForRunning }
            if let lastDone = try Double.fetchOne(db, sql: """
                SELECT max(done_at) FROM job WHERE collection_id = ? AND day = ?
                """, arguments: [collectionID, job.day - 1]) {
                let earliest = Date(timeIntervalSince1970: lastDone + dayGapSeconds)
                if earliest > now { return .waitUntil(earliest) }
            }
        }
        let attempt = (row["attempt"] as Int) + 1
        let leaseUntil = now.addingTimeInterval(leaseSeconds)
        try db.execute(sql: """
            UPDATE job SET state = 'assigned', attempt = ?, agent = ?, lease_until = ?
            WHERE collection_id = ? AND id = ?
            """, arguments: [attempt, agent, leaseUntil.timeIntervalSince1970, collectionID, job.taskID])
        try db.execute(sql: """
            INSERT INTO attempt (collection_id, job_id, attempt, agent, assigned_at, lease_until, status)
            VALUES (?, ?, ?, ?, ?, ?, 'running')
            """, arguments: [collectionID, job.taskID, attempt, agent, now.timeIntervalSince1970,
                             leaseUntil.timeIntervalSince1970])
        return .leased(JobLease(job: job, attempt: attempt, agent: agent, leaseUntil: leaseUntil))
    }

    /// Extends the leases of attempts an agent reports as still running. Returns how many leases were renewed;
    /// attempts that are no longer this agent's current ones are left alone.
    @discardableResult
    public func renewLeases(
        collectionID: String, agent: String, attempts: [(jobID: String, attempt: Int)], until: Date
    ) throws(StoreError) -> Int {
        try StoreError.wrap(path, "renew leases") {
            try pool.write { db in
                var renewed = 0
                for item in attempts {
                    try db.execute(sql: """
                        UPDATE job SET lease_until = ? WHERE collection_id = ? AND id = ? AND attempt = ?
                          AND agent = ? AND state = 'assigned'
                        """, arguments: [until.timeIntervalSince1970, collectionID, item.jobID, item.attempt, agent])
                    renewed += db.changesCount
                    try db.execute(sql: """
                        UPDATE attempt SET lease_until = ?, delivery = 'confirmed'
                        WHERE collection_id = ? AND job_id = ? AND attempt = ? AND agent = ? AND status = 'running'
                        """, arguments: [until.timeIntervalSince1970, collectionID, item.jobID, item.attempt, agent])
                }
                return renewed
            }
        }
    }

    /// Closes every assigned attempt whose lease ended before `now` (a lost agent: a harness failure). Each job goes
    /// back to pending for its next attempt, or, after `maxAttempts` lost attempts, is done with a harness error.
    public func expireLeases(collectionID: String, maxAttempts: Int, now: Date = Date()) throws(StoreError)
        -> [ExpiredAttempt]
    {
        try closeAssigned(collectionID: collectionID, filter: "lease_until < ?", filterArgument: now.timeIntervalSince1970,
                          status: "expired", reason: "lease expired", maxAttempts: maxAttempts, now: now)
    }

    /// Closes every attempt still assigned to `agent`, e.g. `local` after a `collect` process was killed: that
    /// process is gone, so its attempts are lost harness failures, handled as `expireLeases` does.
    public func abandonAttempts(collectionID: String, agent: String, maxAttempts: Int, now: Date = Date())
        throws(StoreError) -> [ExpiredAttempt]
    {
        try closeAssigned(collectionID: collectionID, filter: "agent = ?", filterArgument: agent,
                          status: "abandoned", reason: "process of agent \(agent) ended", maxAttempts: maxAttempts,
                          now: now)
    }

    /// Gives an attempt back without blame (cancelled before a result, e.g. on SIGINT): the job is pending again and
    /// the attempt does not count toward `max_attempts`.
    public func releaseAttempt(collectionID: String, jobID: String, attempt: Int, agent: String, now: Date = Date())
        throws(StoreError)
    {
        try StoreError.wrap(path, "release attempt") {
            try pool.write { db in
                try db.execute(sql: """
                    UPDATE job SET state = 'pending', agent = NULL, lease_until = NULL
                    WHERE collection_id = ? AND id = ? AND attempt = ? AND agent = ? AND state = 'assigned'
                    """, arguments: [collectionID, jobID, attempt, agent])
                guard db.changesCount > 0 else { return }
                try db.execute(sql: """
                    UPDATE attempt SET status = 'released', ended_at = ?
                    WHERE collection_id = ? AND job_id = ? AND attempt = ?
                    """, arguments: [now.timeIntervalSince1970, collectionID, jobID, attempt])
            }
        }
    }

    func closeAssigned(
        collectionID: String, filter: String, filterArgument: any DatabaseValueConvertible, status: String,
        reason: String, maxAttempts: Int, now: Date
    ) throws(StoreError) -> [ExpiredAttempt] {
        try StoreError.wrap(path, "close attempts") {
            try pool.write { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT * FROM job WHERE collection_id = ? AND state = 'assigned' AND \(filter)
                    """, arguments: [collectionID, filterArgument])
                var closed: [ExpiredAttempt] = []
                for row in rows {
                    let job = Self.jobSpec(from: row)
                    let attempt: Int = row["attempt"]
                    let agent: String = row["agent"] ?? "?"
                    // Never reported by an agent before a coordinator restart: not the agent's failure.
                    let unsent = try Self.isUnsent(db, collectionID: collectionID, jobID: job.taskID, attempt: attempt)
                    try db.execute(sql: """
                        UPDATE attempt SET status = ?, ended_at = ? WHERE collection_id = ? AND job_id = ? AND attempt = ?
                        """, arguments: [unsent ? "unsent" : status, now.timeIntervalSince1970, collectionID, job.taskID,
                                         attempt])
                    let lost = unsent ? 0 : try Int.fetchOne(db, sql: """
                        SELECT count(*) FROM attempt WHERE collection_id = ? AND job_id = ?
                          AND status IN \(Self.countedLostStatuses)
                        """, arguments: [collectionID, job.taskID]) ?? 0
                    let gaveUp = !unsent && lost >= maxAttempts
                    if gaveUp {
                        let metric = BaselineMetric.failure(
                            job: job, startedAt: now, durationMs: 0, httpStatus: nil, attempt: attempt, agent: agent,
                            error: "harness error: \(lost) attempts lost (last: attempt \(attempt) on \(agent), "
                                + "\(reason))").withTarget(job.target)
                        try Self.insertResult(db, collectionID: collectionID, jobID: job.taskID, attempt: attempt,
                                              agent: agent, metric: metric, counted: true, now: now)
                        try db.execute(sql: """
                            UPDATE job SET state = 'done', outcome = 'harness_error', done_at = ?, lease_until = NULL
                            WHERE collection_id = ? AND id = ?
                            """, arguments: [now.timeIntervalSince1970, collectionID, job.taskID])
                    } else {
                        try db.execute(sql: """
                            UPDATE job SET state = 'pending', agent = NULL, lease_until = NULL
                            WHERE collection_id = ? AND id = ?
                            """, arguments: [collectionID, job.taskID])
                    }
                    closed.append(ExpiredAttempt(jobID: job.taskID, attempt: attempt, agent: agent, gaveUp: gaveUp))
                }
                return closed
            }
        }
    }

    /// Records results in one transaction (group commit: one fsync for all of them).
    ///
    /// The attempt number is the fencing token, decided by `record` for this path and the coordinator's
    /// `applySchedulingBatch` alike (`docs/protocol.md`, "result"): a result counts only while its attempt is the
    /// job's current, running one; a resend of a stored attempt is `duplicate`; a late result of an attempt that was
    /// replaced or closed without a result (lease expired, abandoned, released) is stored with `counted = 0`
    /// (`stale`), even while its job still waits at that attempt number for its next assignment; an attempt never
    /// assigned to the reporting agent is refused (`notYours`).
    public func recordResults(collectionID: String, _ submissions: [ResultSubmission], now: Date = Date())
        throws(StoreError) -> [RecordOutcome]
    {
        try StoreError.wrap(path, "record results") {
            try pool.write { db in
                try submissions.map { submission in
                    try Self.record(db, collectionID: collectionID, submission, now: now)
                }
            }
        }
    }

    /// Records one result (see `recordResults`).
    public func recordResult(collectionID: String, _ submission: ResultSubmission, now: Date = Date())
        throws(StoreError) -> RecordOutcome
    {
        try recordResults(collectionID: collectionID, [submission], now: now)[0]
    }

    /// The one fencing rule for a reported result, shared by every write path (see `recordResults`).
    ///
    /// The common case, the job's current attempt reported by the agent it was assigned to, is decided by the
    /// `UPDATE` that marks the job done: its `WHERE` is that rule. It rests on the store's invariant that a job is
    /// `assigned` at attempt n exactly while attempt n is `running` (every writer changes both in one transaction),
    /// so that attempt has no stored result yet. Every other report (a resend, a late result, a stranger's) takes
    /// one read of the job, the attempt and its stored result.
    static func record(_ db: Database, collectionID: String, _ s: ResultSubmission, now: Date) throws -> RecordOutcome {
        let time = now.timeIntervalSince1970
        try db.cachedStatement(sql: """
            UPDATE job SET state = 'done', outcome = 'measured', done_at = ?, lease_until = NULL
            WHERE collection_id = ? AND id = ? AND state = 'assigned' AND attempt = ? AND agent = ?
            """).execute(arguments: [time, collectionID, s.jobID, s.attempt, s.agent])
        if db.changesCount == 1 {
            try insertResult(db, collectionID: collectionID, jobID: s.jobID, attempt: s.attempt, agent: s.agent,
                             metric: s.metric, counted: true, now: now)
            try db.cachedStatement(sql: """
                UPDATE attempt SET status = 'completed', ended_at = ?
                WHERE collection_id = ? AND job_id = ? AND attempt = ?
                """).execute(arguments: [time, collectionID, s.jobID, s.attempt])
            return .committed
        }
        // Not the current attempt: the job, the reported attempt and whether it has a stored result, in one read.
        guard let job = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT a.agent,
                   EXISTS (SELECT 1 FROM result r WHERE r.collection_id = j.collection_id AND r.job_id = j.id
                           AND r.attempt = a.attempt) AS stored
            FROM job j LEFT JOIN attempt a ON a.collection_id = j.collection_id AND a.job_id = j.id AND a.attempt = ?
            WHERE j.collection_id = ? AND j.id = ?
            """), arguments: [s.attempt, collectionID, s.jobID])
        else { return .notYours("job \(s.jobID) is not part of collection \(collectionID)") }
        guard let agent = job[0] as String?, agent == s.agent else {
            return .notYours("attempt \(s.attempt) of job \(s.jobID) was not assigned to agent \(s.agent)")
        }
        if job[1] as Bool { return .duplicate }
        try insertResult(db, collectionID: collectionID, jobID: s.jobID, attempt: s.attempt, agent: s.agent,
                         metric: s.metric, counted: false, now: now)
        return .stale
    }

    /// Inserts a result row: the metric as its columns (``ResultMetricColumns``).
    static func insertResult(
        _ db: Database, collectionID: String, jobID: String, attempt: Int, agent: String, metric: BaselineMetric,
        counted: Bool, now: Date
    ) throws {
        let metricValues = try ResultMetricColumns.values(of: metric, jobID: jobID, attempt: attempt, agent: agent)
        let rowValues: [(any DatabaseValueConvertible)?] = [
            collectionID, jobID, attempt, agent, now.timeIntervalSince1970, counted, metric.success,
            metric.errorMessage, metric.durationMs,
        ]
        try db.cachedStatement(sql: insertResultSQL).execute(arguments: StatementArguments(rowValues + metricValues))
    }

    static let insertResultSQL = {
        let columns = ["collection_id", "job_id", "attempt", "agent", "received_at", "counted", "success",
                       "error_message", "duration_ms"] + ResultMetricColumns.names
        return "INSERT INTO result (\(columns.joined(separator: ", "))) "
            + "VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
    }()

    static func jobSpec(from row: Row) -> JobSpec {
        var spec = JobSpec(id: row["id"], ordinal: row["ordinal"], day: row["day"], configIndex: row["config_index"],
                           country: row["country"], jobType: row["job_type"], iterations: row["iterations"],
                           trials: row["trials"])
        Self.applyTarget(of: row, to: &spec)
        return spec
    }
}

/// The `metric_json` column of rows written before migration `v-result-metric-columns` (and of rows it could not
/// read): a metric's wire JSON, read by its one owner, BenchProtocol's `BaselineMetric(storageJSON:)`.
enum MetricCoding {
    /// Reads a stored metric with BenchProtocol's reader (``BaselineMetric/init(storageJSON:)``), the one owner of
    /// the metric's JSON; a row it cannot read is refused with the reader's reason (naming the member).
    static func read(_ json: UnsafeRawBufferPointer) throws -> BaselineMetric {
        try BaselineMetric(storageJSON: json)
    }
}

/// A metric the store refuses to keep (``ResultMetricColumns/values(of:jobID:attempt:agent:)``).
enum MetricJSONError: Error, CustomStringConvertible {
    /// JSON numbers cannot carry it exactly (a non-finite number, an integer of 2^53 or more).
    case notRepresentable

    var description: String {
        switch self {
        case .notRepresentable: "a number of the metric is not finite or not exact in JSON"
        }
    }
}
