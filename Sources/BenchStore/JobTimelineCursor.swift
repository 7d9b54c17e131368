import GRDB

/// The job columns the timeline needs (type, day, matrix ordinal), read in the key order of the job's primary key:
/// `id`, compared as bytes (``SQLiteBinaryOrder``). Asked for job ids in that same order, as the attempts' own key
/// order gives them, it answers every attempt's job in one walk of the jobs, with no lookup per attempt (at 10^6
/// attempts the lookups of a join cost half a second more than the two walks).
struct JobTimelineCursor {
    /// What the timeline takes from a job row.
    struct Job {
        let jobType: String
        let day: Int
        let ordinal: Int
    }

    private let rows: RowCursor
    /// The row read last and not yet passed.
    private var current: (id: String, job: Job)?

    init(_ db: Database, collectionID: String) throws {
        rows = try Row.fetchCursor(db, sql: Self.sql, arguments: [collectionID])
    }

    /// The walk: every job of the collection in primary-key order.
    static let sql = "SELECT id, job_type, day, ordinal FROM job WHERE collection_id = ? ORDER BY id"

    /// The job `id`, nil when the collection has none of that id. Calls must come in increasing `id` order (the
    /// same id may be asked again).
    mutating func job(id: String) throws -> Job? {
        while true {
            let row: (id: String, job: Job)
            if let current {
                row = current
            } else {
                // A finished GRDB cursor keeps answering nil: no later id is a job.
                guard let next = try rows.next() else { return nil }
                row = (next[0], Job(jobType: next[1], day: next[2], ordinal: next[3]))
                current = row
            }
            let order = SQLiteBinaryOrder.compare(row.id, id)
            if order < 0 {
                current = nil
                continue
            }
            return order == 0 ? row.job : nil
        }
    }
}
