import BenchJSON
import BenchProtocol
import BenchWire

/// Why an agent stopped for good (it retries everything else by itself).
public struct AgentError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, to match on.
    public enum Code: String, Sendable, Hashable {
        /// The coordinator refused the agent with a code that means "an operator must act" (`not_allowed`,
        /// `version_mismatch`, `bad_hello` or a code this build does not know).
        case rejected
        /// The coordinator speaks another protocol version.
        case incompatibleProtocol
        /// The configuration cannot work (certificate files, trainer URL, slots).
        case configuration
        /// The outbox cannot be written: results could not be kept safe, so the agent stops taking work.
        case outbox
        /// No session with the coordinator for ``AgentConfiguration/giveUpAfter`` (`--give-up-after`).
        case noSession
    }

    /// What kind of failure.
    public let code: Code
    /// The operation that failed, e.g. `hello` or `open outbox`.
    public let operation: String
    /// The reject code, when ``code`` is ``Code/rejected``.
    public let rejectCode: RejectCode?
    /// Why, for the operator.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, operation: String, rejectCode: RejectCode? = nil, reason: String) {
        self.code = code
        self.operation = operation
        self.rejectCode = rejectCode
        self.reason = reason
    }

    public var description: String {
        if let rejectCode { return "\(operation): rejected by the coordinator (\(rejectCode)): \(reason)" }
        return "\(operation): \(reason)"
    }
}
