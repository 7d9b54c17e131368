/// Why a comparison could not be made: bad flags, unreadable or empty inputs, or sides with nothing in common.
///
/// `description` names the file, row and field where there is one, so it can be shown to an operator as is.
public struct ComparisonError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A flag or target that cannot be used.
        case usage
        /// A file that does not exist or cannot be read.
        case unreadable
        /// A file whose content is not a metrics export or database (row and field named).
        case malformed
        /// A side without any measurement.
        case emptySide
        /// Two sides that share no job type.
        case nothingInCommon
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
