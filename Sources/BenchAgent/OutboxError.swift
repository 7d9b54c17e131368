import GRDB

/// Why an outbox operation failed: what was being done, on which file, and SQLite's message.
public struct OutboxError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, to match on.
    public enum Code: String, Sendable, Hashable {
        /// The file could not be opened, configured or migrated.
        case open
        /// Another process holds the outbox (its `.lock` file).
        case locked
        /// Writing or deleting results failed (nothing of that transaction was kept).
        case write
        /// Reading results failed.
        case read
        /// A stored row could not be decoded.
        case corruptRow
        /// The outbox was closed.
        case closed
    }

    /// What kind of failure.
    public let code: Code
    /// The operation that failed, e.g. `store results`.
    public let operation: String
    /// The outbox file.
    public let path: String
    /// Why, without result contents.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, operation: String, path: String, reason: String) {
        self.code = code
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    public var description: String { "outbox \(path): \(operation): \(reason)" }

    /// Runs `body`, turning any error into an `OutboxError` with `code` and `operation`.
    static func wrap<T>(
        _ code: Code, _ operation: String, path: String, _ body: () throws -> T
    ) throws(OutboxError) -> T {
        do {
            return try body()
        } catch {
            throw OutboxError(error, code: code, operation: operation, path: path)
        }
    }

    /// Wraps any error thrown by GRDB or by the outbox itself.
    init(_ error: any Error, code: Code, operation: String, path: String) {
        if let error = error as? OutboxError {
            self = error
        } else if let error = error as? DatabaseError {
            self.init(code, operation: operation, path: path, reason: error.message ?? "\(error.resultCode)")
        } else {
            self.init(code, operation: operation, path: path, reason: "\(error)")
        }
    }
}
