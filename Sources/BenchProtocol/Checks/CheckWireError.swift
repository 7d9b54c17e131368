/// A check payload or check outcome that is not what docs/protocol.md ("Task payloads") describes: names the
/// document, the member at fault (a path such as `settings.load_handling.requests` or `samples[2].result`) and what
/// is wrong with it.
public struct CheckWireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which of the two check documents was refused.
    public enum Document: String, Sendable, Hashable {
        /// The `payload` of an `assign` of kind `check` (``BenchCore/CheckTask``).
        case payload = "check payload"
        /// The `outcome` of a `check` task's `result` (``BenchCore/CheckOutcome``).
        case outcome = "check outcome"
    }

    /// The document that was refused.
    public let document: Document
    /// The member at fault, as a path from the document's root; `(root)` when the document itself is not an object.
    public let member: String
    /// What is wrong with it (`missing`, `expected a number, got a string`).
    public let reason: String

    /// Creates an error.
    public init(document: Document, member: String, reason: String) {
        self.document = document
        self.member = member
        self.reason = reason
    }

    public var description: String { "\(document.rawValue) member '\(member)': \(reason)" }
}
