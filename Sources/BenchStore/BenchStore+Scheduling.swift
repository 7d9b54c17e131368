import BenchCore
import Foundation
import GRDB

/// The coordinator's write path: one transaction per scheduler round (group commit), each change conditional on the
/// stored state so that the database stays the single source of truth even if a caller's view were wrong.
extension BenchStore {
    /// Every job's scheduling state, in matrix order, with the collection's last activity.
    public func schedulingSnapshot(collectionID: String) throws(StoreError) -> SchedulingSnapshot {
        try StoreError.wrap(path, "read scheduling snapshot") {
            try pool.read { db in
                // A cursor read by column index: no array of rows, no lookup of each column by name (this read is
                // most of a coordinator's start for a large plan).
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT id, ordinal, day, config_index, state, attempt, agent, lease_until, done_at
                    FROM job WHERE collection_id = ? ORDER BY ordinal
                    """, arguments: [collectionID])
                var jobs: [StoredJobState] = []
                while let row = try rows.next() {
                    let id: String = row[0]
                    guard let state = StoredJobState.State(rawValue: row[4]) else {
                        throw StoreError(.corruptRow, path: path, reason: "job \(id): unknown state")
                    }
                    jobs.append(StoredJobState(
                        jobID: id, ordinal: row[1], day: row[2], configIndex: row[3], state: state, attempt: row[5],
                        agent: row[6], leaseUntil: (row[7] as Double?).map(Date.init(timeIntervalSince1970:)),
                        doneAt: (row[8] as Double?).map(Date.init(timeIntervalSince1970:))))
                }
                let lastActivity = try Self.lastActivity(db, collectionID: collectionID)
                return SchedulingSnapshot(jobs: jobs, lastActivity: lastActivity)
            }
        }
    }

    /// Commits one scheduler round in a single transaction: results (fenced by attempt, the same rule as
    /// `recordResults`), then closures of attempts, lease renewals and new assignments, each applied only if the
    /// stored state still matches. Nothing is written when any statement fails.
    public func applySchedulingBatch(
        collectionID: String, _ batch: SchedulingBatch, maxAttempts: Int, now: Date = Date()
    ) throws(StoreError) -> SchedulingBatchOutcome {
        try StoreError.wrap(path, "apply scheduling batch") {
            try pool.write { db in
                try Self.applySchedulingBatch(db, collectionID: collectionID, batch, maxAttempts: maxAttempts, now: now)
            }
        }
    }

    static func applySchedulingBatch(
        _ db: Database, collectionID: String, _ batch: SchedulingBatch, maxAttempts: Int, now: Date
    ) throws -> SchedulingBatchOutcome {
        var outcome = SchedulingBatchOutcome(results: [], closures: [], renewed: 0, assignments: [])
        outcome.results.reserveCapacity(batch.results.count)
        for submission in batch.results {
            outcome.results.append(try record(db, collectionID: collectionID, submission, now: now))
        }
        for closure in batch.closures {
            outcome.closures.append(
                try close(db, collectionID: collectionID, closure, maxAttempts: maxAttempts, now: now))
        }
        for renewal in batch.renewals {
            outcome.renewed += try renew(db, collectionID: collectionID, renewal)
        }
        outcome.assignments.reserveCapacity(batch.assignments.count)
        for assignment in batch.assignments {
            outcome.assignments.append(try assign(db, collectionID: collectionID, assignment, now: now))
        }
        return outcome
    }

    static func close(
        _ db: Database, collectionID: String, _ closure: AttemptClosure, maxAttempts: Int, now: Date
    ) throws -> ClosureOutcome {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM job WHERE collection_id = ? AND id = ?"),
            arguments: [collectionID, closure.jobID]),
            row["state"] as String == "assigned", row["attempt"] as Int == closure.attempt,
            row["agent"] as String? == closure.agent
        else { return .notCurrent }
        let time = now.timeIntervalSince1970
        let unsent = try closure.kind != .released
            && isUnsent(db, collectionID: collectionID, jobID: closure.jobID, attempt: closure.attempt)
        try db.cachedStatement(sql: """
            UPDATE attempt SET status = ?, ended_at = ? WHERE collection_id = ? AND job_id = ? AND attempt = ?
            """).execute(arguments: [unsent ? "unsent" : closure.kind.rawValue, time, collectionID, closure.jobID,
                                     closure.attempt])
        if closure.kind != .released && !unsent {
            let lost = try Int.fetchOne(db.cachedStatement(sql: """
                SELECT count(*) FROM attempt
                WHERE collection_id = ? AND job_id = ? AND status IN \(countedLostStatuses)
                """), arguments: [collectionID, closure.jobID]) ?? 0
            if lost >= maxAttempts {
                let metric = BaselineMetric.failure(
                    job: jobSpec(from: row), startedAt: now, durationMs: 0, httpStatus: nil, attempt: closure.attempt,
                    agent: closure.agent,
                    error: "harness error: \(lost) attempts lost (last: attempt \(closure.attempt) on "
                        + "\(closure.agent), \(closure.reason))").withTarget(jobSpec(from: row).target)
                try insertResult(db, collectionID: collectionID, jobID: closure.jobID, attempt: closure.attempt,
                                 agent: closure.agent, metric: metric, counted: true, now: now)
                try db.cachedStatement(sql: """
                    UPDATE job SET state = 'done', outcome = 'harness_error', done_at = ?, lease_until = NULL
                    WHERE collection_id = ? AND id = ?
                    """).execute(arguments: [time, collectionID, closure.jobID])
                return .gaveUp
            }
        }
        try db.cachedStatement(sql: """
            UPDATE job SET state = 'pending', agent = NULL, lease_until = NULL WHERE collection_id = ? AND id = ?
            """).execute(arguments: [collectionID, closure.jobID])
        if unsent { return .unsent }
        return closure.kind == .released ? .released : .requeued
    }

    static func renew(_ db: Database, collectionID: String, _ renewal: LeaseRenewal) throws -> Int {
        let until = renewal.until.timeIntervalSince1970
        try db.cachedStatement(sql: """
            UPDATE job SET lease_until = ? WHERE collection_id = ? AND id = ? AND attempt = ? AND agent = ?
              AND state = 'assigned' AND lease_until < ?
            """).execute(arguments: [until, collectionID, renewal.jobID, renewal.attempt, renewal.agent, until])
        guard db.changesCount > 0 else { return 0 }
        try db.cachedStatement(sql: """
            UPDATE attempt SET lease_until = ?, delivery = 'confirmed'
            WHERE collection_id = ? AND job_id = ? AND attempt = ?
            """).execute(arguments: [until, collectionID, renewal.jobID, renewal.attempt])
        return 1
    }

    static func assign(_ db: Database, collectionID: String, _ a: AttemptAssignment, now: Date) throws
        -> AssignmentOutcome
    {
        let lease = a.leaseUntil.timeIntervalSince1970
        try db.cachedStatement(sql: """
            UPDATE job SET state = 'assigned', attempt = ?, agent = ?, lease_until = ?
            WHERE collection_id = ? AND id = ? AND state = 'pending' AND attempt = ?
            """).execute(arguments: [a.attempt, a.agent, lease, collectionID, a.jobID, a.attempt - 1])
        guard db.changesCount == 1 else {
            let stored = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT state, attempt FROM job WHERE collection_id = ? AND id = ?
                """), arguments: [collectionID, a.jobID])
            let state = stored.map { "\($0["state"] as String) at attempt \($0["attempt"] as Int)" } ?? "no such job"
            return .conflict("job \(a.jobID) is \(state), expected pending at attempt \(a.attempt - 1)")
        }
        try db.cachedStatement(sql: """
            INSERT INTO attempt (collection_id, job_id, attempt, agent, assigned_at, lease_until, status)
            VALUES (?, ?, ?, ?, ?, ?, 'running')
            """).execute(arguments: [collectionID, a.jobID, a.attempt, a.agent, now.timeIntervalSince1970, lease])
        return .assigned
    }
}
