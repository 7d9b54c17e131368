import BenchCore
import BenchProtocol
import Foundation
import GRDB
import GRDBSQLite

/// The metric of a `result` row as columns (migration `v-result-metric-columns`): the one writer
/// (``values(of:jobID:attempt:agent:)``) and the one reader (``Reader``) of them.
///
/// The row's own `success`, `error_message` and `duration_ms` are the metric's; `job_id`, `attempt` and `agent` are
/// the row's (the task's, as the coordinator fenced it), and the metric's own values of those three are kept in
/// `metric_job_id`, `metric_attempt` and `metric_agent` only where they differ (an A/B result's metric carries the
/// job id without its side), NULL otherwise. `http_status` is NULL when no answer arrived, `trainer_figures` the
/// figures' JSON object (``BaselineMetric/trainerFiguresJSON``), NULL for none.
///
/// Until that migration the metric was a JSON text (`metric_json`, ``BaselineMetric/init(storageJSON:)``); the
/// column stays for rows the migration could not read (kept as they were, and refused by the report as before)
/// and for databases read without migrating (`compare`).
enum ResultMetricColumns {
    /// The columns, in the order ``values(of:jobID:attempt:agent:)`` gives their values.
    static let names = [
        "timestamp", "metric_job_id", "job_type", "iterations", "trials", "country", "duration_minutes", "cpu_hours",
        "memory_gb_hours", "cost_estimate", "metric_attempt", "metric_agent", "http_status", "trainer_figures",
    ]

    /// Adds the columns to a table definition (all nullable: a row the migration kept as JSON has none).
    static func define(_ table: TableDefinition) {
        table.column("timestamp", .double)
        table.column("metric_job_id", .text)
        table.column("job_type", .text)
        table.column("iterations", .integer)
        table.column("trials", .integer)
        table.column("country", .text)
        table.column("duration_minutes", .double)
        table.column("cpu_hours", .double)
        table.column("memory_gb_hours", .double)
        table.column("cost_estimate", .double)
        table.column("metric_attempt", .integer)
        table.column("metric_agent", .text)
        table.column("http_status", .integer)
        table.column("trainer_figures", .text)
    }

    /// Whether `result` in `db` has the columns (false in a database not migrated, which `compare` reads as it is).
    static func exist(_ db: Database) throws -> Bool {
        try db.columns(in: "result").contains { $0.name == "cpu_hours" }
    }

    /// The values of ``names`` for `metric`, stored in the row of `jobID`'s `attempt` from `agent`. Refuses a metric
    /// whose numbers JSON could not carry exactly (``BaselineMetric/isExactInJSON``): the store keeps what could
    /// have travelled, and SQLite would turn a NaN into NULL.
    static func values(of metric: BaselineMetric, jobID: String, attempt: Int, agent: String) throws
        -> [(any DatabaseValueConvertible)?]
    {
        guard metric.isExactInJSON else { throw MetricJSONError.notRepresentable }
        return [
            metric.timestamp.timeIntervalSince1970, metric.jobID == jobID ? nil : metric.jobID, metric.jobType,
            metric.iterations, metric.trials, metric.country, metric.durationMinutes, metric.cpuHours,
            metric.memoryGBHours, metric.costEstimate, metric.attempt == attempt ? nil : metric.attempt,
            metric.agent == agent ? nil : metric.agent, metric.httpStatus, metric.trainerFiguresJSON,
        ]
    }

    /// The select list a ``Reader`` reads, from its first column on: the row's columns the metric shares, then
    /// ``names``, of the table aliased `alias`.
    static func selectList(alias: String) -> String {
        (["success", "error_message", "duration_ms", "job_id", "attempt", "agent"] + names)
            .map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    /// Reads metrics from a walk whose columns from `first` on are ``selectList(alias:)``, checking each column's
    /// type; repeated texts (job types, countries, agents) are made into a `String` once each.
    struct Reader {
        let first: Int32
        private var texts = TextInterner()

        init(first: Int32) {
            self.first = first
        }

        /// The metric of the walk's current row, or the first column that does not hold what it must.
        mutating func metric(_ rows: SQLiteRowWalk) throws(ResultColumnError) -> BaselineMetric {
            let c = first
            let rowJobID = try string(rows, c + 3, "job_id")
            let rowAttempt = try int(rows, c + 4, "attempt")
            let rowAgent = try interned(rows, c + 5, "agent")
            let trainerFigures: [String: Double]
            if rows.columnType(c + 19) == SQLITE_NULL {
                trainerFigures = [:]
            } else {
                let json = try text(rows, c + 19, "trainer_figures")
                do {
                    trainerFigures = try BaselineMetric.trainerFigures(storedJSON: json)
                } catch {
                    throw ResultColumnError(reason: "trainer_figures: \(error)")
                }
            }
            return BaselineMetric(
                timestamp: Date(timeIntervalSince1970: try double(rows, c + 6, "timestamp")),
                jobID: rows.columnType(c + 7) == SQLITE_NULL ? rowJobID : try string(rows, c + 7, "metric_job_id"),
                jobType: try interned(rows, c + 8, "job_type"), iterations: try int(rows, c + 9, "iterations"),
                trials: try int(rows, c + 10, "trials"), country: try interned(rows, c + 11, "country"),
                durationMinutes: try double(rows, c + 12, "duration_minutes"),
                cpuHours: try double(rows, c + 13, "cpu_hours"),
                memoryGBHours: try double(rows, c + 14, "memory_gb_hours"),
                costEstimate: try double(rows, c + 15, "cost_estimate"),
                success: try int(rows, c, "success") != 0,
                errorMessage: rows.columnType(c + 1) == SQLITE_NULL ? nil : try string(rows, c + 1, "error_message"),
                attempt: rows.columnType(c + 16) == SQLITE_NULL ? rowAttempt : try int(rows, c + 16, "metric_attempt"),
                agent: rows.columnType(c + 17) == SQLITE_NULL ? rowAgent : try interned(rows, c + 17, "metric_agent"),
                httpStatus: rows.columnType(c + 18) == SQLITE_NULL ? nil : try int(rows, c + 18, "http_status"),
                durationMs: try double(rows, c + 2, "duration_ms"), trainerFigures: trainerFigures)
        }

        private func text(_ rows: SQLiteRowWalk, _ column: Int32, _ name: String) throws(ResultColumnError)
            -> UnsafeRawBufferPointer
        {
            switch rows.columnType(column) {
            case SQLITE_TEXT: return rows.text(column)
            case SQLITE_NULL: throw ResultColumnError(reason: "\(name): missing")
            default: throw ResultColumnError(reason: "\(name): expected a text")
            }
        }

        private func string(_ rows: SQLiteRowWalk, _ column: Int32, _ name: String) throws(ResultColumnError)
            -> String
        {
            String(decoding: try text(rows, column, name), as: UTF8.self)
        }

        private mutating func interned(_ rows: SQLiteRowWalk, _ column: Int32, _ name: String)
            throws(ResultColumnError) -> String
        {
            texts.string(try text(rows, column, name))
        }

        private func int(_ rows: SQLiteRowWalk, _ column: Int32, _ name: String) throws(ResultColumnError) -> Int {
            switch rows.columnType(column) {
            case SQLITE_INTEGER: return rows.int(column)
            case SQLITE_NULL: throw ResultColumnError(reason: "\(name): missing")
            default: throw ResultColumnError(reason: "\(name): expected an integer")
            }
        }

        private func double(_ rows: SQLiteRowWalk, _ column: Int32, _ name: String) throws(ResultColumnError)
            -> Double
        {
            switch rows.columnType(column) {
            // A REAL column keeps an integral value as an integer on disk; SQLite converts it back exactly.
            case SQLITE_FLOAT, SQLITE_INTEGER: return rows.double(column) ?? 0
            case SQLITE_NULL: throw ResultColumnError(reason: "\(name): missing")
            default: throw ResultColumnError(reason: "\(name): expected a number")
            }
        }
    }
}

/// A stored result's metric column that does not hold what it must (a damaged file, a hand edit).
struct ResultColumnError: Error, CustomStringConvertible {
    /// What is wrong, naming the column.
    let reason: String

    var description: String { reason }
}
