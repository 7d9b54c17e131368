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

    public let kind: Kind
    public let operation: String
    public let reason: String

    public init(_ kind: Kind, operation: String, reason: String) {
        self.kind = kind
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "\(operation): \(reason)" }
}
