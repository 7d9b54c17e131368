import BenchCore
import Foundation

/// A row of the coordinator's check suite (plan `checks.run`), written in the round that decided it.
public enum CheckSuiteWrite: Sendable, Equatable {
    /// A suite run begins (idempotent).
    case begin(CheckSuiteRun)
    /// The outcome of a check (or share) of a begun run; a resent one changes nothing.
    case record(suiteRunID: String, CheckOutcome)
    /// The run is complete (idempotent).
    case complete(suiteRunID: String)
}

/// What an agent last said about its trainer: `reason` while unreachable, nil once it answers again.
public struct TrainerStateWrite: Sendable, Equatable {
    /// The agent (certificate name).
    public let agent: String
    /// Why its trainer cannot be reached, nil when it can.
    public let reason: String?
    /// When the agent said it (the start of an unreachable spell is the first such time).
    public let at: Date

    /// Creates the row.
    public init(agent: String, reason: String?, at: Date) {
        self.agent = agent
        self.reason = reason
        self.at = at
    }
}

/// Everything one coordinator round writes, committed in one transaction (``BenchStore/applyCoordinatorRound``):
/// check-suite rows first, then agents' trainer states, then the scheduling batch (results, closures, renewals,
/// assignments).
public struct CoordinatorRound: Sendable {
    /// Suite rows, in the order decided.
    public var checks: [CheckSuiteWrite]
    /// Trainer states, in the order heard (a later one for the same agent wins).
    public var trainerStates: [TrainerStateWrite]
    /// Results, attempts and leases.
    public var scheduling: SchedulingBatch

    /// Creates a round.
    public init(checks: [CheckSuiteWrite] = [], trainerStates: [TrainerStateWrite] = [],
                scheduling: SchedulingBatch = SchedulingBatch()) {
        self.checks = checks
        self.trainerStates = trainerStates
        self.scheduling = scheduling
    }

    /// True when the round writes nothing.
    public var isEmpty: Bool { checks.isEmpty && trainerStates.isEmpty && scheduling.isEmpty }
}

/// The outcome of each item of a ``CoordinatorRound``.
public struct CoordinatorRoundOutcome: Sendable, Equatable {
    /// Per suite row, whether it changed the database (false for an outcome already stored: a resent result).
    public var checks: [Bool]
    /// The scheduling batch's outcomes.
    public var scheduling: SchedulingBatchOutcome
}
