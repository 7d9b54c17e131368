import BenchCore
import BenchProtocol
import Foundation
import GRDB
import GRDBSQLite

extension BenchStore {
    /// The counted measurement of every done job, in matrix order: what the reports are made of.
    public func countedMetrics(collectionID: String) throws(StoreError) -> [BaselineMetric] {
        try StoreError.wrap(path, "read results") {
            try pool.read { db in try Self.countedMetrics(db, collectionID: collectionID, path: path) }
        }
    }

    /// Hands `body` the counted measurements of the jobs whose matrix ordinals are in `ordinals`, in matrix order,
    /// one at a time: a part of ``countedMetrics(collectionID:)``, so that a report of 10^6 results reads its parts
    /// on several cores (the parts' concatenation, in ordinal order, is the whole), each part in a transaction of
    /// its own, straight into the report's one array (``ReportWriter``). An error `body` throws ends the read and is
    /// thrown as it is.
    func forEachCountedMetric(
        collectionID: String, ordinals: Range<Int>, _ body: (BaselineMetric) throws(StoreError) -> Void
    ) throws(StoreError) {
        try StoreError.wrap(path, "read results") {
            try pool.read { db in
                try Self.forEachCountedMetric(db, collectionID: collectionID, ordinals: ordinals, path: path, body)
            }
        }
    }

    /// One past the highest job ordinal of the collection (0 without jobs): the end of the range that holds every
    /// ordinal, to cut into parts.
    public func ordinalEnd(collectionID: String) throws(StoreError) -> Int {
        try StoreError.wrap(path, "read the job ordinals") {
            try pool.read { db in
                try Int.fetchOne(db, sql: "SELECT max(ordinal) + 1 FROM job WHERE collection_id = ?",
                                 arguments: [collectionID]) ?? 0
            }
        }
    }

    /// The counted measurements of a collection in matrix order (each A/B pair's results next to each other), with
    /// the side of an A/B collection from the job row (the store is the truth); only those of jobs whose ordinal is
    /// in `ordinals` when given. Shared by the reports and by `compare`, which reads a database without migrating
    /// it: one written before A/B collections existed has no `job.target` column, and every result is of its one
    /// target.
    static func countedMetrics(_ db: Database, collectionID: String, ordinals: Range<Int>? = nil, path: String)
        throws -> [BaselineMetric]
    {
        var metrics: [BaselineMetric] = []
        try forEachCountedMetric(db, collectionID: collectionID, ordinals: ordinals, path: path) { metrics.append($0) }
        return metrics
    }

    /// ``countedMetrics(_:collectionID:ordinals:path:)`` handed to `body` one at a time.
    static func forEachCountedMetric(
        _ db: Database, collectionID: String, ordinals: Range<Int>?, path: String,
        _ body: (BaselineMetric) throws(StoreError) -> Void
    ) throws {
        let hasTarget = try db.columns(in: "job").contains { $0.name == "target" }
        let hasColumns = try ResultMetricColumns.exist(db)
        // One row at a time from SQLite, each metric read from the columns where SQLite holds them (no array of
        // rows, no `Row`), or, for a row kept as JSON, decoded straight from the text's bytes.
        var arguments: [SQLiteRowWalk.Argument] = [.text(collectionID)]
        if let ordinals { arguments += [.int(ordinals.lowerBound), .int(ordinals.upperBound)] }
        let rows = try SQLiteRowWalk(db, sql: countedMetricsSQL(hasTarget: hasTarget, hasColumns: hasColumns,
                                                                ordinalRange: ordinals != nil),
                                     arguments: arguments)
        var targets = TextInterner()
        var columns = ResultMetricColumns.Reader(first: 3)
        while try rows.step() {
            let metric: BaselineMetric
            do {
                let target = targets.string(rows.text(1))
                let read = hasColumns && rows.columnType(0) == SQLITE_NULL
                    ? try columns.metric(rows) : try MetricCoding.read(rows.text(0))
                metric = read.withTarget(target.isEmpty ? nil : target)
            } catch {
                let jobID = String(decoding: rows.text(2), as: UTF8.self)
                throw StoreError(.corruptRow, path: path,
                                 reason: "collection \(collectionID), the result of job \(jobID) unreadable: \(error)")
            }
            try body(metric)
        }
    }

    /// The counted results' stored JSON (NULL for a row with its metric in columns), side and job id in matrix
    /// order, then (with `hasColumns`) the metric's columns (``ResultMetricColumns/selectList(alias:)``); SQLite
    /// walks `job_by_ordinal` (migration `v-report-job-by-ordinal-index`) so the rows stream in order instead of
    /// being sorted first. A job has one counted result (`result_counted_once`) and an ordinal of its own, so the
    /// ordinal alone is the order: a second key (the result's rowid, until 2026-12-07) made SQLite sort each
    /// ordinal's one row in a temporary B-tree, a third of this read's SQLite time. With `ordinalRange`, two more
    /// arguments bound the ordinals (from, up to but not including).
    static func countedMetricsSQL(hasTarget: Bool, hasColumns: Bool = true, ordinalRange: Bool = false) -> String {
        """
        SELECT r.metric_json, \(hasTarget ? "j.target" : "''"), r.job_id\(
            hasColumns ? ", " + ResultMetricColumns.selectList(alias: "r") : "") FROM result r
        JOIN job j ON j.collection_id = r.collection_id AND j.id = r.job_id
        WHERE r.collection_id = ? AND r.counted = 1\(ordinalRange ? " AND j.ordinal >= ? AND j.ordinal < ?" : "")
        ORDER BY j.ordinal
        """
    }

    /// Number of results stored for a job (counted and audit-only), for checks that nothing was counted twice.
    public func resultCount(collectionID: String, jobID: String, countedOnly: Bool) throws(StoreError) -> Int {
        try StoreError.wrap(path, "count results") {
            try pool.read { db in
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM result WHERE collection_id = ? AND job_id = ? AND (? = 0 OR counted = 1)
                    """, arguments: [collectionID, jobID, countedOnly]) ?? 0
            }
        }
    }

    /// Attempts currently assigned to `agent` (for re-attaching a reconnecting agent).
    public func assignedAttempts(collectionID: String, agent: String) throws(StoreError) -> [JobLease] {
        try StoreError.wrap(path, "read assigned attempts") {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM job WHERE collection_id = ? AND state = 'assigned' AND agent = ? ORDER BY ordinal
                    """, arguments: [collectionID, agent]).map { row in
                    JobLease(job: Self.jobSpec(from: row), attempt: row["attempt"], agent: agent,
                             leaseUntil: Date(timeIntervalSince1970: row["lease_until"] ?? 0))
                }
            }
        }
    }

    /// The latest time something happened in the collection (an assignment or a result), if anything did.
    public func lastActivity(collectionID: String) throws(StoreError) -> Date? {
        try StoreError.wrap(path, "read last activity") {
            try pool.read { db in try Self.lastActivity(db, collectionID: collectionID) }
        }
    }

    static func lastActivity(_ db: Database, collectionID: String) throws -> Date? {
        let value = try Double.fetchOne(db, sql: """
            SELECT max(t) FROM (
              SELECT max(assigned_at) AS t FROM attempt WHERE collection_id = ?
              UNION ALL SELECT max(ended_at) FROM attempt WHERE collection_id = ?
              UNION ALL SELECT max(received_at) FROM result WHERE collection_id = ?)
            """, arguments: [collectionID, collectionID, collectionID])
        return value.map(Date.init(timeIntervalSince1970:))
    }

    /// Job counts by state, failures, attempts and agents of a collection.
    public func status(collectionID: String) throws(StoreError) -> CollectionStatus {
        try StoreError.wrap(path, "read status") {
            try pool.read { db in
                guard let collectionRow = try Row.fetchOne(db, sql: "SELECT * FROM collection WHERE id = ?",
                                                           arguments: [collectionID])
                else { throw StoreError(.noCollection, path: path, reason: "no collection \(collectionID)") }
                var status = CollectionStatus(
                    collectionID: collectionID, total: 0, pending: 0, assigned: 0, done: 0, failedMeasurements: 0,
                    harnessErrors: 0, redispatched: 0, staleResults: 0, attemptsPerJob: [:], agentsSeen: [:],
                    createdAt: Date(timeIntervalSince1970: collectionRow["created_at"]), lastActivity: nil,
                    completedAt: (collectionRow["completed_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
                for row in try Row.fetchAll(db, sql: """
                    SELECT state, count(*) AS n FROM job WHERE collection_id = ? GROUP BY state
                    """, arguments: [collectionID]) {
                    let n: Int = row["n"]
                    switch row["state"] as String {
                    case "pending": status.pending = n
                    case "assigned": status.assigned = n
                    default: status.done = n
                    }
                }
                status.total = status.pending + status.assigned + status.done
                status.harnessErrors = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM job WHERE collection_id = ? AND outcome = 'harness_error'
                    """, arguments: [collectionID]) ?? 0
                status.failedMeasurements = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM result r JOIN job j ON j.collection_id = r.collection_id AND j.id = r.job_id
                    WHERE r.collection_id = ? AND r.counted = 1 AND r.success = 0 AND j.outcome = 'measured'
                    """, arguments: [collectionID]) ?? 0
                status.staleResults = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM result WHERE collection_id = ? AND counted = 0
                    """, arguments: [collectionID]) ?? 0
                for row in try Row.fetchAll(db, sql: """
                    SELECT n, count(*) AS jobs FROM (
                      SELECT count(*) AS n FROM attempt WHERE collection_id = ? GROUP BY job_id) GROUP BY n
                    """, arguments: [collectionID]) {
                    status.attemptsPerJob[row["n"]] = row["jobs"]
                }
                status.redispatched = status.attemptsPerJob.filter { $0.key > 1 }.values.reduce(0, +)
                for row in try Row.fetchAll(db, sql: """
                    SELECT agent, count(*) AS n FROM attempt WHERE collection_id = ? GROUP BY agent
                    """, arguments: [collectionID]) {
                    status.agentsSeen[row["agent"]] = row["n"]
                }
                status.lastActivity = try Self.lastActivity(db, collectionID: collectionID)
                return status
            }
        }
    }
}
