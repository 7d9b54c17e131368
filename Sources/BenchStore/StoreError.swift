import GRDB

/// Why a store operation failed, with the database path and, for SQL errors, SQLite's message.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The database file could not be opened or migrated.
        case open
        /// Another process holds the single-writer lock of the database file (``BenchStore/init(soleWriterOf:)``).
        case locked
        /// The stored plan differs from the requested one (resume refused without `--new`).
        case planMismatch
        /// No collection exists in this database yet.
        case noCollection
        /// An agent reported an attempt that was never assigned to it.
        case notYourAttempt
        /// A job id not in the collection.
        case unknownJob
        /// A suite run id that was never begun.
        case unknownSuiteRun
        /// A stored row could not be decoded.
        case corruptRow
        /// Any other SQLite error.
        case sql
        /// The database was written by a newer mmmbench (migrations this one does not know): refused untouched.
        case newerSchema
        /// A backup would overwrite an existing file (without `force`).
        case backupTargetExists
    }

    public let kind: Kind
    public let path: String
    public let reason: String

    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }

    static func wrap<T>(_ path: String, _ operation: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(.sql, path: path, reason: "\(operation): \(error.message ?? "\(error.resultCode)")")
        } catch {
            throw StoreError(.sql, path: path, reason: "\(operation): \(error)")
        }
    }
}
