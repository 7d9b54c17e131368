/// Why the idle-agents benchmark stopped: a step that failed, what it was doing, and where to look.
struct IdleAgentsError: Error, CustomStringConvertible {
    /// What went wrong, to match on.
    enum Kind: Sendable {
        /// The machine or the build cannot run the benchmark (fd limit, missing binary, bad option).
        case setup
        /// The coordinator child process did not start, exited, or did not answer as expected.
        case coordinator
        /// Agents could not connect, were refused, or were dropped while idle.
        case agents
        /// `/proc` could not be read.
        case measurement
    }

    let kind: Kind
    /// The step that failed ("start the coordinator", "connect agents", ...).
    let operation: String
    let reason: String
    /// Last lines of the coordinator's output, when they explain the failure.
    var coordinatorOutput: [String] = []

    var description: String {
        var text = "idle-agents benchmark: \(operation): \(reason)"
        if !coordinatorOutput.isEmpty {
            text += "\nlast coordinator output:\n" + coordinatorOutput.map { "  " + $0 }.joined(separator: "\n")
        }
        return text
    }
}
