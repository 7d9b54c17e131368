import BenchCore
import BenchJSON
import BenchProtocol
import Foundation
import GRDB

/// The `result` table as an mmmbench before migration `v-result-metric-columns` left it: the metric as a JSON text
/// in `metric_json` (NOT NULL) and no metric columns, that migration not recorded. For tests of the migration and
/// of rows it keeps as JSON.
enum LegacyResultTable {
    /// What an mmmbench before the migration stored for `metric`: its wire JSON, written by BenchJSON's writer.
    static func text(_ metric: BaselineMetric) throws -> String {
        guard let value = metric.wireValue else { throw JSONWriteError.nonFiniteNumber(.nan) }
        return String(decoding: try JSONWriter.bytes(value), as: UTF8.self)
    }

    /// Turns the database at `path` (opened on its own) back into the legacy table: every row keeps its columns and
    /// id, with `texts[job_id]` as its `metric_json`.
    static func restore(path: String, texts: [String: String]) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.inTransaction {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT id, collection_id, job_id, attempt, agent, received_at, counted, success, error_message,
                           duration_ms FROM result ORDER BY id
                    """)
                try db.execute(sql: "DROP TABLE result")
                try db.execute(sql: """
                    CREATE TABLE "result" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "collection_id" TEXT NOT NULL,
                    "job_id" TEXT NOT NULL, "attempt" INTEGER NOT NULL, "agent" TEXT NOT NULL,
                    "received_at" DOUBLE NOT NULL, "counted" BOOLEAN NOT NULL, "success" BOOLEAN NOT NULL,
                    "error_message" TEXT, "duration_ms" DOUBLE NOT NULL, "metric_json" TEXT NOT NULL,
                    FOREIGN KEY ("collection_id", "job_id") REFERENCES "job"("collection_id", "id") ON DELETE CASCADE)
                    """)
                try db.execute(sql: """
                    CREATE UNIQUE INDEX result_counted_once ON result(collection_id, job_id) WHERE counted = 1
                    """)
                try db.execute(sql: """
                    CREATE INDEX "result_by_attempt" ON "result"("collection_id", "job_id", "attempt", "success")
                    """)
                for row in rows {
                    let jobID: String = row["job_id"]
                    var values = (0..<row.count).map { row[$0] as DatabaseValue }
                    values.append(texts[jobID]?.databaseValue ?? .null)
                    try db.execute(sql: "INSERT INTO result VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   arguments: StatementArguments(values))
                }
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v-result-metric-columns'")
                return .commit
            }
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
    }
}
