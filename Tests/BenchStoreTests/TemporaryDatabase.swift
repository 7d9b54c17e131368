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
