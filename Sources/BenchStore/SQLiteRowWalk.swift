import GRDB
import GRDBSQLite

/// One SELECT stepped through with SQLite's C API, its columns read in place: a text column is the bytes SQLite
/// holds (valid until the next ``step()``), not a `String` made for every row. For the report's walks of 10^6
/// rows (``BenchStore/attemptSpans(collectionID:)``), where GRDB's `Row` made up to six strings per attempt (three
/// of them allocated) only to compare or recognise them.
///
/// Lives inside one `DatabasePool.read` (or other access) of `db`, like a GRDB cursor; finalized on deinit.
final class SQLiteRowWalk {
    private let statement: OpaquePointer
    private let connection: OpaquePointer
    private let sql: String
    private var finished = false

    /// A value bound to a parameter of the statement.
    enum Argument {
        case text(String)
        case int(Int)
    }

    /// Prepares `sql` on `db`'s connection with `arguments` bound to its parameters, in order.
    init(_ db: Database, sql: String, arguments: [Argument]) throws(StoreError) {
        guard let connection = db.sqliteConnection else {
            throw StoreError(.sql, path: "", reason: "the database connection is closed")
        }
        self.connection = connection
        self.sql = sql
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            sqlite3_finalize(prepared)
            throw Self.error(connection, sql: sql)
        }
        statement = prepared
        for (index, argument) in arguments.enumerated() {
            let parameter = Int32(index + 1)
            let result = switch argument {
            case .text(let text):
                // SQLITE_TRANSIENT: SQLite copies the text before the call returns.
                sqlite3_bind_text(statement, parameter, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            case .int(let value):
                sqlite3_bind_int64(statement, parameter, sqlite3_int64(value))
            }
            guard result == SQLITE_OK else {
                let error = Self.error(connection, sql: sql)
                sqlite3_finalize(statement)
                throw error
            }
        }
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// Moves to the next row: false when there is none, and from then on (SQLite itself would start the
    /// statement over).
    func step() throws(StoreError) -> Bool {
        guard !finished else { return false }
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            finished = true
            return false
        default:
            throw Self.error(connection, sql: sql)
        }
    }

    /// The bytes of text column `column` of the current row (empty for NULL), valid until the next ``step()``.
    func text(_ column: Int32) -> UnsafeRawBufferPointer {
        // sqlite3_column_text before sqlite3_column_bytes: the documented order for a text's length.
        guard let start = sqlite3_column_text(statement, column) else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawBufferPointer(start: start, count: Int(sqlite3_column_bytes(statement, column)))
    }

    /// The type of column `column`'s value in the current row: `SQLITE_INTEGER`, `SQLITE_FLOAT`, `SQLITE_TEXT`,
    /// `SQLITE_BLOB` or `SQLITE_NULL`.
    func columnType(_ column: Int32) -> Int32 {
        sqlite3_column_type(statement, column)
    }

    /// Integer column `column` of the current row (0 for NULL).
    func int(_ column: Int32) -> Int {
        Int(sqlite3_column_int64(statement, column))
    }

    /// Real column `column` of the current row, converted by SQLite (0 for NULL; check ``columnType(_:)`` first
    /// where NULL matters).
    func real(_ column: Int32) -> Double {
        sqlite3_column_double(statement, column)
    }

    /// Real column `column` of the current row; nil for NULL.
    func double(_ column: Int32) -> Double? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_double(statement, column)
    }

    /// The connection's last error, with its database file and the statement.
    private static func error(_ connection: OpaquePointer, sql: String) -> StoreError {
        let path = sqlite3_db_filename(connection, "main").map { String(cString: $0) } ?? ""
        let message = sqlite3_errmsg(connection).map { String(cString: $0) } ?? "unknown error"
        return StoreError(.sql, path: path, reason: "\(message) (code \(sqlite3_errcode(connection))) in: \(sql)")
    }
}
