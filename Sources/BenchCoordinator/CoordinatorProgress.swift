/// Where a running collection stands: the figures of the progress line.
public struct CoordinatorProgress: Sendable, Equatable {
    /// Jobs in the collection.
    public var total: Int
    /// Jobs done (measured or given up).
    public var done: Int
    /// Jobs that were done when this coordinator started (resume).
    public var doneAtStart: Int
    /// Attempts out with agents (assigned, result not received).
    public var inFlight: Int
    /// Agents connected now.
    public var agentsConnected: Int
    /// Done jobs whose measurement failed (trainer error, timeout, bad body).
    public var failedMeasurements: Int
    /// Jobs given up after too many lost attempts.
    public var harnessErrors: Int
    /// Seconds since this coordinator started scheduling.
    public var elapsedSeconds: Double
    /// Estimated seconds to completion at this run's pace; nil until a job finished.
    public var etaSeconds: Double?
    /// The optimization test suite running now (plan `checks.run`), nil when none does.
    public var checkSuite: CheckSuiteProgress?

    public init(
        total: Int, done: Int, doneAtStart: Int, inFlight: Int, agentsConnected: Int, failedMeasurements: Int,
        harnessErrors: Int, elapsedSeconds: Double, etaSeconds: Double?,
        checkSuite: CheckSuiteProgress? = nil
    ) {
        self.total = total
        self.done = done
        self.doneAtStart = doneAtStart
        self.inFlight = inFlight
        self.agentsConnected = agentsConnected
        self.failedMeasurements = failedMeasurements
        self.harnessErrors = harnessErrors
        self.elapsedSeconds = elapsedSeconds
        self.etaSeconds = etaSeconds
        self.checkSuite = checkSuite
    }
}

import Logging

extension Logger.Message {
    /// Joins two messages, so that long log lines can be split across source lines (`"a " + "b \(x)"`) and
    /// still be built only when the level is enabled.
    static func + (lhs: Logger.Message, rhs: Logger.Message) -> Logger.Message {
        "\(lhs.description)\(rhs.description)"
    }
}
