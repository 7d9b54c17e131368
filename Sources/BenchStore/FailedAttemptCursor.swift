import GRDB

/// The attempts whose results are all failed measurements (the timeline's `failed`), read in
/// the key order of `result_by_attempt`, `(job_id, attempt)`, job ids compared as bytes (SQLite's `BINARY`
/// collation). Asked in that same order, it answers every attempt in one walk of those few rows; SQLite filters
/// the rest inside the index (which carries `success`, migration `v-report-result-by-attempt-success`), so no
/// result row is read and no row of a successful attempt reaches Swift. An attempt without results is not failed.
struct FailedAttemptCursor {
    private let rows: SQLiteRowWalk
    /// Whether the walk stands on a row not yet passed.
    private var onRow = false

    init(_ db: Database, collectionID: String) throws(StoreError) {
        rows = try SQLiteRowWalk(db, sql: Self.sql, arguments: [.text(collectionID)])
    }

    /// The walk: one row per attempt whose every result failed, in key order. Asked as "a failed result and no
    /// successful one" rather than `GROUP BY job_id, attempt HAVING max(success) = 0`: SQLite then skips the
    /// successful entries of the index instead of grouping all of them (at 10^6 results, 0.08 s of CPU in the
    /// `sqlite3` shell instead of 0.26 s); the successful result is looked for with one seek into the same index.
    static let sql = """
        SELECT f.job_id, f.attempt FROM result f WHERE f.collection_id = ? AND f.success = 0
        AND NOT EXISTS (SELECT 1 FROM result s WHERE s.collection_id = f.collection_id AND s.job_id = f.job_id
                        AND s.attempt = f.attempt AND s.success = 1)
        GROUP BY f.job_id, f.attempt ORDER BY f.job_id, f.attempt
        """

    /// Whether `attempt` of job `jobID` (UTF-8) delivered results and all of them failed. Calls must come in
    /// increasing `(jobID, attempt)` order.
    mutating func failed(jobID: UnsafeRawBufferPointer, attempt: Int) throws(StoreError) -> Bool {
        while true {
            if !onRow {
                // A finished walk keeps answering false: every later attempt delivered no failed result.
                guard try rows.step() else { return false }
                onRow = true
            }
            // The key compared once: job id as bytes, then the attempt.
            var order = SQLiteBinaryOrder.compare(rows.text(0), jobID)
            if order == 0 {
                let stored = rows.int(1)
                order = stored < attempt ? -1 : (stored == attempt ? 0 : 1)
            }
            if order < 0 {
                onRow = false
                continue
            }
            return order == 0
        }
    }
}
