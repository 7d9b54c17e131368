import BenchCore
import Foundation
import GRDB

/// What the coordinator's live status page and `/metrics` read from the database, in one snapshot.
public struct LiveStoreFigures: Sendable, Equatable {
    /// A failed measurement, newest first.
    public struct Failure: Sendable, Equatable, Codable {
        public let jobID: String
        public let attempt: Int
        public let agent: String
        public let error: String
        public let receivedAt: Date
    }

    /// Successful jobs of one type so far.
    public struct TypeDuration: Sendable, Equatable, Codable {
        public let jobType: String
        public let count: Int
        public let meanSeconds: Double
        public let maxSeconds: Double
    }

    /// A counted result, for histograms fed incrementally (``LiveStoreFigures/newResults``).
    public struct CountedResult: Sendable, Equatable {
        public let rowID: Int64
        public let jobType: String
        public let durationSeconds: Double
        public let success: Bool
    }

    public var jobsByState: [String: Int]
    public var attempts: Int
    /// Attempts after the first of their job (each one a re-dispatch).
    public var redispatches: Int
    /// Attempts closed without a result by state (`expired`, `abandoned`, `released`).
    public var attemptsByStatus: [String: Int]
    public var resultsCounted: Int
    public var staleResults: Int
    /// Attempts assigned now, by agent.
    public var inFlightByAgent: [String: Int]
    /// Latest assignment or result per agent.
    public var lastActivityByAgent: [String: Date]
    public var recentFailures: [Failure]
    public var durationByType: [TypeDuration]
    /// Counted results with a row id above the one asked for, in row order.
    public var newResults: [CountedResult]
}

extension BenchStore {
    /// The live figures of a collection; `newResultsAfter` is the highest result row id already seen (0 for all).
    public func liveFigures(collectionID: String, newResultsAfter: Int64 = 0, recentFailures: Int = 10)
        throws(StoreError) -> LiveStoreFigures {
        try StoreError.wrap(path, "read live status") {
            try pool.read { db in
                let id: [any DatabaseValueConvertible] = [collectionID]
                var figures = LiveStoreFigures(
                    jobsByState: ["pending": 0, "assigned": 0, "done": 0], attempts: 0, redispatches: 0,
                    attemptsByStatus: [:], resultsCounted: 0, staleResults: 0, inFlightByAgent: [:],
                    lastActivityByAgent: [:], recentFailures: [], durationByType: [], newResults: [])
                for row in try Row.fetchAll(db, sql: """
                    SELECT state, count(*) AS n FROM job WHERE collection_id = ? GROUP BY state
                    """, arguments: StatementArguments(id)) {
                    figures.jobsByState[row["state"]] = row["n"]
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT status, count(*) AS n, sum(attempt > 1) AS again FROM attempt WHERE collection_id = ?
                    GROUP BY status
                    """, arguments: StatementArguments(id)) {
                    let n: Int = row["n"]
                    figures.attempts += n
                    figures.redispatches += row["again"] as Int? ?? 0
                    figures.attemptsByStatus[row["status"]] = n
                }
                figures.resultsCounted = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM result WHERE collection_id = ? AND counted = 1
                    """, arguments: StatementArguments(id)) ?? 0
                figures.staleResults = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM result WHERE collection_id = ? AND counted = 0
                    """, arguments: StatementArguments(id)) ?? 0
                for row in try Row.fetchAll(db, sql: """
                    SELECT agent, count(*) AS n FROM job WHERE collection_id = ? AND state = 'assigned' GROUP BY agent
                    """, arguments: StatementArguments(id)) {
                    figures.inFlightByAgent[row["agent"] ?? "?"] = row["n"]
                }
                for row in try Row.fetchAll(db, sql: """
                    SELECT agent, max(t) AS t FROM (
                      SELECT agent, max(assigned_at) AS t FROM attempt WHERE collection_id = ? GROUP BY agent
                      UNION ALL SELECT agent, max(received_at) FROM result WHERE collection_id = ? GROUP BY agent)
                    GROUP BY agent
                    """, arguments: [collectionID, collectionID]) {
                    figures.lastActivityByAgent[row["agent"]] = Date(timeIntervalSince1970: row["t"])
                }
                figures.recentFailures = try Row.fetchAll(db, sql: """
                    SELECT job_id, attempt, agent, error_message, received_at FROM result
                    WHERE collection_id = ? AND counted = 1 AND success = 0 ORDER BY received_at DESC, id DESC LIMIT ?
                    """, arguments: [collectionID, recentFailures]).map { row in
                    LiveStoreFigures.Failure(
                        jobID: row["job_id"], attempt: row["attempt"], agent: row["agent"],
                        error: row["error_message"] ?? "", receivedAt: Date(timeIntervalSince1970: row["received_at"]))
                }
                figures.durationByType = try Row.fetchAll(db, sql: """
                    SELECT j.job_type, count(*) AS n, avg(r.duration_ms) AS mean, max(r.duration_ms) AS longest
                    FROM result r JOIN job j ON j.collection_id = r.collection_id AND j.id = r.job_id
                    WHERE r.collection_id = ? AND r.counted = 1 AND r.success = 1
                    GROUP BY j.job_type ORDER BY j.job_type
                    """, arguments: StatementArguments(id)).map { row in
                    LiveStoreFigures.TypeDuration(
                        jobType: row["job_type"], count: row["n"], meanSeconds: (row["mean"] as Double? ?? 0) / 1000,
                        maxSeconds: (row["longest"] as Double? ?? 0) / 1000)
                }
                figures.newResults = try Row.fetchAll(db, sql: """
                    SELECT r.id, j.job_type, r.duration_ms, r.success FROM result r
                    JOIN job j ON j.collection_id = r.collection_id AND j.id = r.job_id
                    WHERE r.collection_id = ? AND r.counted = 1 AND r.id > ? ORDER BY r.id
                    """, arguments: [collectionID, newResultsAfter]).map { row in
                    LiveStoreFigures.CountedResult(
                        rowID: row["id"], jobType: row["job_type"],
                        durationSeconds: (row["duration_ms"] as Double) / 1000, success: row["success"])
                }
                return figures
            }
        }
    }
}
