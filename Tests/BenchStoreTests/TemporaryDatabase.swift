import BenchCore
import BenchStore
import Foundation
import GRDB

/// A database file in a fresh temporary directory, removed when the test is done.
struct TemporaryDatabase: ~Copyable {
    let directory: String
    var path: String { directory + "/bench.sqlite" }

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

extension BaselineMetric {
    static func sample(_ job: JobSpec, attempt: Int, agent: String, success: Bool = true) -> BaselineMetric {
        success
            ? .success(job: job, startedAt: Date(), durationMs: 1500, httpStatus: 200, attempt: attempt, agent: agent,
                       costModel: CostModel())
            : .failure(job: job, startedAt: Date(), durationMs: 10, httpStatus: 500, attempt: attempt, agent: agent,
                       error: "HTTP 500")
    }
}

extension LeaseDecision {
    var lease: JobLease? {
        if case .leased(let lease) = self { return lease }
        return nil
    }
}

extension BenchStore {
    /// Assigns every job of `jobs` as attempt 1 to agent `a` at `now`, then commits `metrics` (of some of those
    /// jobs, attempt 1, agent `a`) in reverse order a second later: neither the result rows' order nor the job ids
    /// give the matrix order, only the ordinal does.
    func commitInReverse(collectionID: String, jobs: [JobSpec], metrics: [BaselineMetric], now: Date) throws {
        _ = try applySchedulingBatch(collectionID: collectionID, SchedulingBatch(assignments: jobs.map {
            AttemptAssignment(jobID: $0.id, attempt: 1, agent: "a", leaseUntil: now + 30)
        }), maxAttempts: 3, now: now)
        _ = try applySchedulingBatch(collectionID: collectionID, SchedulingBatch(results: metrics.reversed().map {
            ResultSubmission(jobID: $0.jobID, attempt: 1, agent: "a", metric: $0)
        }), maxAttempts: 3, now: now + 1)
    }
}

extension BenchStore {
    /// `rounds` rounds, 6 s apart from `start`, in which agents `a1` and `a2` each lease the next job for 5 s and
    /// report a measurement (failed in odd rounds) or, about one lease in three, nothing, so that it expires at
    /// the end of the round: succeeded, failed, expired and re-dispatched attempts. Returns the time after the
    /// last round.
    func playLeaseRounds(collectionID id: String, rounds: Int, from start: Date) throws -> Date {
        var clock = start
        for round in 0..<rounds {
            for agent in ["a1", "a2"] {
                guard let lease = try leaseNextJob(collectionID: id, agent: agent, leaseSeconds: 5,
                                                   dayGapSeconds: 0, now: clock).lease else { continue }
                guard (round + lease.attempt) % 3 != 0 else { continue }  // some are left to expire
                _ = try recordResult(collectionID: id, ResultSubmission(
                    jobID: lease.job.id, attempt: lease.attempt, agent: agent,
                    metric: .sample(lease.job, attempt: lease.attempt, agent: agent, success: round % 2 == 0)),
                    now: clock + 1)
            }
            clock += 6
            _ = try expireLeases(collectionID: id, maxAttempts: 3, now: clock)
        }
        return clock
    }
}

/// `EXPLAIN QUERY PLAN` of `sql` on the database at `path` (opened on its own, without migrating), the details
/// joined by newlines: what a test of an index checks.
func queryPlan(path: String, sql: String, arguments: StatementArguments) throws -> String {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try queue.read { db in
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
            .map { $0["detail"] as String }.joined(separator: "\n")
    }
}
