import GRDB

/// Each attempt's result success (`max(success)` of the results it delivered), read in the key order of
/// `result_by_attempt`: `(job_id, attempt)`, job ids compared as bytes (SQLite's `BINARY` collation). Asked in that
/// same order, it answers every attempt in one walk of the index, with no lookup per attempt; the index carries
/// `success` (migration `v-report-result-by-attempt-success`), so no result row is read either.
struct ResultSuccessCursor {
    private let rows: RowCursor
    /// The row read last and not yet passed: its job id, attempt and success.
    private var current: (jobID: String, attempt: Int, success: Bool?)?

    init(_ db: Database, collectionID: String) throws {
        rows = try Row.fetchCursor(db, sql: Self.sql, arguments: [collectionID])
    }

    /// The walk: one row per attempt with results, in key order.
    static let sql = """
        SELECT job_id, attempt, max(success) FROM result WHERE collection_id = ?
        GROUP BY job_id, attempt ORDER BY job_id, attempt
        """

    /// The success of `attempt` of `jobID`'s results, nil when it delivered none. Calls must come in increasing
    /// `(jobID, attempt)` order.
    mutating func success(jobID: String, attempt: Int) throws -> Bool? {
        while true {
            let row: (jobID: String, attempt: Int, success: Bool?)
            if let current {
                row = current
            } else {
                // A finished GRDB cursor keeps answering nil: every later attempt delivered nothing.
                guard let next = try rows.next() else { return nil }
                row = (next[0], next[1], next[2])
                current = row
            }
            // The key compared once: job id as bytes, then the attempt.
            var order = SQLiteBinaryOrder.compare(row.jobID, jobID)
            if order == 0 { order = row.attempt < attempt ? -1 : (row.attempt == attempt ? 0 : 1) }
            if order < 0 {
                current = nil
                continue
            }
            return order == 0 ? row.success : nil
        }
    }
}
