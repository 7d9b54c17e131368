import GRDB

extension Schema {
    /// The metric of a result as columns of `result` (``ResultMetricColumns``) instead of a JSON text: a report of
    /// 10^6 results spent a seventh of its CPU decoding `metric_json` (docs/operations.md, "Seventh round"), and a
    /// row of columns is a third smaller.
    ///
    /// SQLite cannot change a column's constraints in place, so the table is made again: every row copied with its
    /// id, its stored JSON read by the one reader (``MetricCoding``) and written as columns by the one writer. A row
    /// whose JSON cannot be read keeps it in `metric_json` (now nullable) with empty columns, so the report still
    /// names it as before instead of the migration losing it or refusing the whole database. Runs in one transaction
    /// like every migration: once, about 19 s for 10^6 results (the first `mmmbench report` of the benchmark's database
    /// of 10^6, 23 s with the report), a fraction of a second for 20,000.
    static func registerResultColumnMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v-result-metric-columns") { db in
            try db.create(table: "result_with_columns") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("collection_id", .text).notNull()
                t.column("job_id", .text).notNull()
                t.column("attempt", .integer).notNull()
                t.column("agent", .text).notNull()
                t.column("received_at", .double).notNull()
                // 1 for the one result that counts for the job; 0 for late results kept for audit.
                t.column("counted", .boolean).notNull()
                t.column("success", .boolean).notNull()
                t.column("error_message", .text)
                t.column("duration_ms", .double).notNull()
                // Only for a row written before this migration whose JSON could not be read.
                t.column("metric_json", .text)
                ResultMetricColumns.define(t)
                t.foreignKey(["collection_id", "job_id"], references: "job", onDelete: .cascade)
            }
            try copyResultsAsColumns(db)
            try db.drop(table: "result")
            try db.rename(table: "result_with_columns", to: "result")
            try db.execute(sql: """
                CREATE UNIQUE INDEX result_counted_once ON result(collection_id, job_id) WHERE counted = 1
                """)
            try db.create(index: "result_by_attempt", on: "result",
                          columns: ["collection_id", "job_id", "attempt", "success"])
        }
    }

    private static func copyResultsAsColumns(_ db: Database) throws {
        let rowColumns = ["id", "collection_id", "job_id", "attempt", "agent", "received_at", "counted", "success",
                          "error_message", "duration_ms"]
        let columns = rowColumns + ["metric_json"] + ResultMetricColumns.names
        let insert = try db.makeStatement(sql: """
            INSERT INTO result_with_columns (\(columns.joined(separator: ", ")))
            VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            """)
        let unreadable = [(any DatabaseValueConvertible)?](repeating: nil, count: ResultMetricColumns.names.count)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT \(rowColumns.joined(separator: ", ")), metric_json FROM result ORDER BY id
            """)
        while let row = try rows.next() {
            var values: [(any DatabaseValueConvertible)?] = rowColumns.indices.map { row[$0] as DatabaseValue }
            var json: String = row[rowColumns.count]
            let jobID: String = row["job_id"]
            let metric = try? json.withUTF8 { try MetricCoding.read(UnsafeRawBufferPointer($0)) }
            if let metric, let metricValues = try? ResultMetricColumns.values(
                of: metric, jobID: jobID, attempt: row["attempt"], agent: row["agent"])
            {
                values += [nil] + metricValues
            } else {
                values += [json] + unreadable
            }
            try insert.execute(arguments: StatementArguments(values))
        }
    }
}
