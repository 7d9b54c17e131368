/// Why the coordinator could not start or had to stop, with the operation and a reason an operator can act on.
public struct CoordinatorError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A setting is out of range or inconsistent.
        case configuration
        /// Another mmmbench process holds the database.
        case databaseLocked
        /// The database and the scheduler's view disagree (another writer, or a bug): stopped before doing harm.
        case inconsistentState
        /// The listening socket could not be opened.
        case listen
    }

    /// What kind of failure, to match on.
    public let kind: Kind
    /// What the coordinator was doing, e.g. `lock /var/lib/mmmbench/baseline.sqlite.lock`.
    public let operation: String
    /// Why it failed, for an operator.
    public let reason: String

    /// Creates an error.
    public init(_ kind: Kind, operation: String, reason: String) {
        self.kind = kind
        self.operation = operation
        self.reason = reason
    }

    /// `operation: reason`.
    public var description: String { "\(operation): \(reason)" }
}
