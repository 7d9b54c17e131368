import Foundation
import GRDB

/// An assigned attempt that no agent had reported when a coordinator started (see
/// ``BenchStore/inheritUnconfirmedAssignments(collectionID:)``).
public struct InheritedAttempt: Sendable, Equatable {
    /// The job.
    public let jobID: String
    /// The attempt.
    public let attempt: Int
    /// The agent it was assigned to.
    public let agent: String

    public init(jobID: String, attempt: Int, agent: String) {
        self.jobID = jobID
        self.attempt = attempt
        self.agent = agent
    }
}

/// Whether an attempt reached its agent, as far as the database knows: the rule that keeps coordinator crashes from
/// using up a job's attempts (docs/architecture.md, "Job lifecycle").
///
/// An attempt is committed before its `assign` is sent. A coordinator killed in between leaves an attempt no agent
/// ever received; one killed before the agent's first `started`/`heartbeat` about it leaves an attempt that nothing
/// says was received. So, at start, a coordinator marks every running attempt no agent has reported as `inherited`.
/// Any later report of it (a `heartbeat`, `started` or `progress` listing it, a `hello` re-attaching it) marks it
/// `confirmed`. An `inherited` attempt that is then closed without a result (its agent came back without it, or its
/// lease ran out) ends as `unsent`: the job is pending again and the attempt does not count toward `max_attempts`.
extension BenchStore {
    /// Called by a coordinator as it starts, before it closes anything: marks every running attempt that no agent
    /// has reported yet as inherited from an earlier coordinator process, and returns them (in matrix order).
    public func inheritUnconfirmedAssignments(collectionID: String) throws(StoreError) -> [InheritedAttempt] {
        try StoreError.wrap(path, "mark unreported attempts") {
            try pool.write { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT a.job_id, a.attempt, a.agent FROM attempt a
                    JOIN job j ON j.collection_id = a.collection_id AND j.id = a.job_id
                    WHERE a.collection_id = ? AND a.status = 'running' AND a.delivery IS NOT 'confirmed'
                    ORDER BY j.ordinal
                    """, arguments: [collectionID])
                try db.execute(sql: """
                    UPDATE attempt SET delivery = 'inherited'
                    WHERE collection_id = ? AND status = 'running' AND delivery IS NULL
                    """, arguments: [collectionID])
                return rows.map { InheritedAttempt(jobID: $0["job_id"], attempt: $0["attempt"], agent: $0["agent"]) }
            }
        }
    }

    /// Whether closing this attempt without a result makes it `unsent` (inherited and never reported).
    static func isUnsent(_ db: Database, collectionID: String, jobID: String, attempt: Int) throws -> Bool {
        try String.fetchOne(db.cachedStatement(sql: """
            SELECT delivery FROM attempt WHERE collection_id = ? AND job_id = ? AND attempt = ?
            """), arguments: [collectionID, jobID, attempt]) == "inherited"
    }

    /// The attempt statuses that count toward `max_attempts` (lost attempts and trainer-unreachable reports).
    static let countedLostStatuses = "('expired', 'abandoned', 'trainer_unreachable')"
}
