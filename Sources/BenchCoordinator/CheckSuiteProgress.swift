import BenchCore

/// Where the optimization test suite a coordinator runs through its agents (plan `checks.run`) stands: the checks
/// part of the progress line.
public struct CheckSuiteProgress: Sendable, Equatable {
    /// Which suite: before or after the baseline matrix.
    public var phase: CheckPhase
    /// Checks finished in this suite run.
    public var finished: Int
    /// Checks the suite runs (the plan's enabled checks).
    public var total: Int
    /// The check whose tasks are out now, if any.
    public var running: CheckKind?

    /// Creates the figures.
    public init(phase: CheckPhase, finished: Int, total: Int, running: CheckKind?) {
        self.phase = phase
        self.finished = finished
        self.total = total
        self.running = running
    }
}

extension CheckSuiteDriver {
    /// The open suite run's figures, nil while no suite runs.
    var progress: CheckSuiteProgress? {
        guard let suite else { return nil }
        let running = suite.current.first?.task.check
        return CheckSuiteProgress(
            phase: suite.run.phase, finished: suite.finished.count,
            total: suite.finished.count + (running == nil ? 0 : 1) + suite.queue.count, running: running)
    }
}
