import GRDB

/// The job columns the timeline needs (type, day, matrix ordinal), read in the key order of the job's primary key:
/// `id`, compared as bytes (``SQLiteBinaryOrder``). Asked for job ids in that same order, as the attempts' own key
/// order gives them, it answers every attempt's job in one walk of the jobs, with no lookup per attempt (at 10^6
/// attempts the lookups of a join cost half a second more than the two walks). The ids are compared where SQLite
/// holds them (``SQLiteRowWalk``); no `String` is made of them.
struct JobTimelineCursor {
    /// What the timeline takes from a job row.
    struct Job {
        let jobType: String
        let day: Int
        let ordinal: Int
    }

    private let rows: SQLiteRowWalk
    /// Whether the walk stands on a row not yet passed (read by ``job(id:)`` from the walk itself).
    private var onRow = false
    private var jobTypes = TextInterner()

    init(_ db: Database, collectionID: String) throws(StoreError) {
        rows = try SQLiteRowWalk(db, sql: Self.sql, arguments: [.text(collectionID)])
    }

    /// The walk: every job of the collection in primary-key order.
    static let sql = "SELECT id, job_type, day, ordinal FROM job WHERE collection_id = ? ORDER BY id"

    /// The job `id` (UTF-8), nil when the collection has none of that id. Calls must come in increasing `id` order
    /// (the same id may be asked again).
    mutating func job(id: UnsafeRawBufferPointer) throws(StoreError) -> Job? {
        while true {
            if !onRow {
                // A finished walk keeps answering false: no later id is a job.
                guard try rows.step() else { return nil }
                onRow = true
            }
            let order = SQLiteBinaryOrder.compare(rows.text(0), id)
            if order < 0 {
                onRow = false
                continue
            }
            guard order == 0 else { return nil }
            return Job(jobType: jobTypes.string(rows.text(1)), day: rows.int(2), ordinal: rows.int(3))
        }
    }
}
