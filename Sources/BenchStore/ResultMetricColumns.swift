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
    /// The columns a ``Reader`` reads, in the order of ``selectList(alias:)``: first the row's own columns the
    /// metric shares, then the metric's (``names``, from ``timestamp`` on). The one place that knows the order.
    enum Column: Int32, CaseIterable {
        case success, errorMessage, durationMs, jobID, attempt, agent
        case timestamp, metricJobID, jobType, iterations, trials, country, durationMinutes, cpuHours, memoryGBHours
        case costEstimate, metricAttempt, metricAgent, httpStatus, trainerFigures

        /// The SQLite column's name.
        var name: String {
            switch self {
            case .success: "success"
            case .errorMessage: "error_message"
            case .durationMs: "duration_ms"
            case .jobID: "job_id"
            case .attempt: "attempt"
            case .agent: "agent"
            case .timestamp: "timestamp"
            case .metricJobID: "metric_job_id"
            case .jobType: "job_type"
            case .iterations: "iterations"
            case .trials: "trials"
            case .country: "country"
            case .durationMinutes: "duration_minutes"
            case .cpuHours: "cpu_hours"
            case .memoryGBHours: "memory_gb_hours"
            case .costEstimate: "cost_estimate"
            case .metricAttempt: "metric_attempt"
            case .metricAgent: "metric_agent"
            case .httpStatus: "http_status"
            case .trainerFigures: "trainer_figures"
            }
        }
    }

    /// The metric's own columns, in the order ``values(of:jobID:attempt:agent:)`` gives their values.
    static let names = Column.allCases.filter { $0.rawValue >= Column.timestamp.rawValue }.map(\.name)

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

    /// The select list a ``Reader`` reads (``Column``, in order), of the table aliased `alias`.
    static func selectList(alias: String) -> String {
        Column.allCases.map { "\(alias).\($0.name)" }.joined(separator: ", ")
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
            let rowJobID = try string(rows, .jobID)
            let rowAttempt = try int(rows, .attempt)
            let rowAgent = try interned(rows, .agent)
            var trainerFigures: [String: Double] = [:]
            if !isNull(rows, .trainerFigures) {
                let json = try text(rows, .trainerFigures)
                do {
                    trainerFigures = try BaselineMetric.trainerFigures(storedJSON: json)
                } catch {
                    throw ResultColumnError(reason: "trainer_figures: \(error)")
                }
            }
            return BaselineMetric(
                timestamp: Date(timeIntervalSince1970: try double(rows, .timestamp)),
                jobID: isNull(rows, .metricJobID) ? rowJobID : try string(rows, .metricJobID),
                jobType: try interned(rows, .jobType), iterations: try int(rows, .iterations),
                trials: try int(rows, .trials), country: try interned(rows, .country),
                durationMinutes: try double(rows, .durationMinutes), cpuHours: try double(rows, .cpuHours),
                memoryGBHours: try double(rows, .memoryGBHours), costEstimate: try double(rows, .costEstimate),
                success: try int(rows, .success) != 0,
                errorMessage: isNull(rows, .errorMessage) ? nil : try string(rows, .errorMessage),
                attempt: isNull(rows, .metricAttempt) ? rowAttempt : try int(rows, .metricAttempt),
                agent: isNull(rows, .metricAgent) ? rowAgent : try interned(rows, .metricAgent),
                httpStatus: isNull(rows, .httpStatus) ? nil : try int(rows, .httpStatus),
                durationMs: try double(rows, .durationMs), trainerFigures: trainerFigures)
        }

        private func index(_ column: Column) -> Int32 { first + column.rawValue }

        private func isNull(_ rows: SQLiteRowWalk, _ column: Column) -> Bool {
            rows.columnType(index(column)) == SQLITE_NULL
        }

        /// Checks that `column` holds a value of SQLite's storage class `type` (or `alternative`), naming what it
        /// `expected` if not. Two integers, not a set: this runs for every column of every row a report reads.
        private func require(
            _ rows: SQLiteRowWalk, _ column: Column, _ type: Int32, or alternative: Int32? = nil, expected: String
        ) throws(ResultColumnError) {
            let stored = rows.columnType(index(column))
            guard stored != type, stored != alternative else { return }
            let problem = stored == SQLITE_NULL ? "missing" : "expected \(expected)"
            throw ResultColumnError(reason: "\(column.name): \(problem)")
        }

        private func text(_ rows: SQLiteRowWalk, _ column: Column) throws(ResultColumnError)
            -> UnsafeRawBufferPointer
        {
            try require(rows, column, SQLITE_TEXT, expected: "a text")
            return rows.text(index(column))
        }

        private func string(_ rows: SQLiteRowWalk, _ column: Column) throws(ResultColumnError) -> String {
            String(decoding: try text(rows, column), as: UTF8.self)
        }

        private mutating func interned(_ rows: SQLiteRowWalk, _ column: Column) throws(ResultColumnError) -> String {
            texts.string(try text(rows, column))
        }

        private func int(_ rows: SQLiteRowWalk, _ column: Column) throws(ResultColumnError) -> Int {
            try require(rows, column, SQLITE_INTEGER, expected: "an integer")
            return rows.int(index(column))
        }

        private func double(_ rows: SQLiteRowWalk, _ column: Column) throws(ResultColumnError) -> Double {
            // A REAL column keeps an integral value as an integer on disk; SQLite converts it back exactly.
            try require(rows, column, SQLITE_FLOAT, or: SQLITE_INTEGER, expected: "a number")
            return rows.real(index(column))
        }
    }
}

/// A stored result's metric column that does not hold what it must (a damaged file, a hand edit).
struct ResultColumnError: Error, CustomStringConvertible {
    /// What is wrong, naming the column.
    let reason: String

    var description: String { reason }
}
