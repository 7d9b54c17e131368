import BenchCore
import Foundation
import GRDB

extension BenchStore {
    /// Every attempt of a collection with its job's type and day and how it ended (a completed attempt is
    /// `succeeded` or `failed` by the result it delivered), ordered by assignment time: the report's timeline.
    public func attemptSpans(collectionID: String) throws(StoreError) -> [AttemptSpan] {
        try StoreError.wrap(path, "read attempts") {
            try pool.read { db in
                // A cursor and column indices (no array of rows, no name lookups): 10^6 attempts in a big report.
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT a.job_id, a.attempt, a.agent, a.assigned_at, a.ended_at, a.status, j.job_type, j.day,
                      (SELECT max(r.success) FROM result r WHERE r.collection_id = a.collection_id
                         AND r.job_id = a.job_id AND r.attempt = a.attempt) AS success
                    FROM attempt a JOIN job j ON j.collection_id = a.collection_id AND j.id = a.job_id
                    WHERE a.collection_id = ? ORDER BY a.assigned_at, j.ordinal, a.attempt
                    """, arguments: [collectionID])
                var spans: [AttemptSpan] = []
                while let row = try rows.next() {
                    let status: String = row[5]
                    let success: Bool? = row[8]
                    guard let outcome = Self.attemptOutcome(status: status, success: success) else {
                        throw StoreError(.corruptRow, path: path, reason: "attempt status '\(status)' unknown")
                    }
                    spans.append(AttemptSpan(
                        jobID: row[0], attempt: row[1], agent: row[2], jobType: row[6], day: row[7],
                        start: Date(timeIntervalSince1970: row[3]),
                        end: (row[4] as Double?).map(Date.init(timeIntervalSince1970:)), outcome: outcome))
                }
                return spans
            }
        }
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
