/// A plan file that cannot be used, with the field path that is wrong and why.
///
/// `description` reads like `jobs[2].iterations: must be > 0`, so it can be shown to an operator as is.
public struct PlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the plan the problem is, e.g. `jobs[2].iterations`; empty for the document itself.
    public let path: String
    /// What is wrong, e.g. `must be > 0` or `unknown key`.
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        path.isEmpty ? reason : "\(path): \(reason)"
    }
}
