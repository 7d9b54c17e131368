import BenchCore
import Foundation

/// A job's row as the coordinator's scheduler needs it: state, current attempt, holder and times.
public struct StoredJobState: Sendable, Equatable {
    /// The job lifecycle state (`pending -> assigned -> done`).
    public enum State: String, Sendable, Equatable {
        case pending, assigned, done
    }

    /// The job's id (`baseline-{day}-{config}-{country}`).
    public let jobID: String
    /// Position in the matrix, 0-based.
    public let ordinal: Int
    /// 1-based day.
    public let day: Int
    /// 1-based index of the job's config in the plan.
    public let configIndex: Int
    /// Where the job is in its lifecycle.
    public let state: State
    /// Current (or last) attempt number; 0 before the first assignment.
    public let attempt: Int
    /// The agent holding the current attempt (assigned jobs only).
    public let agent: String?
    /// End of the current attempt's lease (assigned jobs only).
    public let leaseUntil: Date?
    /// When the job became done.
    public let doneAt: Date?

    public init(
        jobID: String, ordinal: Int, day: Int, configIndex: Int, state: State, attempt: Int, agent: String?,
        leaseUntil: Date?, doneAt: Date?
    ) {
        self.jobID = jobID
        self.ordinal = ordinal
        self.day = day
        self.configIndex = configIndex
        self.state = state
        self.attempt = attempt
        self.agent = agent
        self.leaseUntil = leaseUntil
        self.doneAt = doneAt
    }
}

/// Every job of a collection in matrix order, read in one transaction, and the last time anything happened.
public struct SchedulingSnapshot: Sendable {
    /// Every job of the collection, in matrix order.
    public let jobs: [StoredJobState]
    /// The latest assignment, attempt end or result (pacing after a restart continues from it).
    public let lastActivity: Date?
}

/// A lease extension for an attempt its agent reports as running.
public struct LeaseRenewal: Sendable, Equatable {
    /// The job.
    public let jobID: String
    /// The attempt whose lease is extended (only if still current and held by `agent`).
    public let attempt: Int
    /// The agent holding it.
    public let agent: String
    /// The new end of the lease (a lease is never shortened).
    public let until: Date

    public init(jobID: String, attempt: Int, agent: String, until: Date) {
        self.jobID = jobID
        self.attempt = attempt
        self.agent = agent
        self.until = until
    }
}

/// Ends an assigned attempt without a result.
public struct AttemptClosure: Sendable, Equatable {
    /// Why the attempt ends; decides whether it counts toward `max_attempts`.
    public enum Kind: String, Sendable, Equatable {
        /// The lease ran out (agent lost or silent): a harness failure.
        case expired
        /// The agent came back without it (not running, no result): a harness failure.
        case abandoned
        /// Given back without blame (the assignment never reached the agent): does not count.
        case released
        /// The agent could not run it: its trainer cannot be reached (a `harness_failure` result). Counts.
        case trainerUnreachable = "trainer_unreachable"
    }

    /// The job.
    public let jobID: String
    /// The attempt to close (only if still current and held by `agent`).
    public let attempt: Int
    /// The agent holding it.
    public let agent: String
    /// Why it ends.
    public let kind: Kind
    /// For the harness error text if the job is given up.
    public let reason: String

    public init(jobID: String, attempt: Int, agent: String, kind: Kind, reason: String) {
        self.jobID = jobID
        self.attempt = attempt
        self.agent = agent
        self.kind = kind
        self.reason = reason
    }
}

/// What became of an ``AttemptClosure``.
public enum ClosureOutcome: Sendable, Equatable {
    /// The job is pending again; its next assignment is attempt n+1.
    case requeued
    /// The job ran out of attempts and is done with a harness error.
    case gaveUp
    /// The job is pending again and the attempt does not count as lost.
    case released
    /// The job is pending again and the attempt does not count as lost: it was assigned by an earlier coordinator
    /// process and no agent ever reported it (committed, then the coordinator died before or while sending it).
    case unsent
    /// The attempt was no longer the job's current assigned one (e.g. its result was recorded first): nothing done.
    case notCurrent
}

/// A new attempt for a pending job, decided by the scheduler.
public struct AttemptAssignment: Sendable, Equatable {
    /// The pending job.
    public let jobID: String
    /// The new attempt number: the stored attempt + 1.
    public let attempt: Int
    /// The agent it is assigned to.
    public let agent: String
    /// The end of the first lease.
    public let leaseUntil: Date

    public init(jobID: String, attempt: Int, agent: String, leaseUntil: Date) {
        self.jobID = jobID
        self.attempt = attempt
        self.agent = agent
        self.leaseUntil = leaseUntil
    }
}

/// What became of an ``AttemptAssignment``.
public enum AssignmentOutcome: Sendable, Equatable {
    /// The job is now assigned to the agent as that attempt.
    case assigned
    /// The job was not pending at the expected attempt; nothing was written. The reason names the stored state.
    case conflict(String)
}

/// Everything one scheduler round writes, committed in one transaction (one fsync): results first, then closures,
/// renewals and new assignments.
public struct SchedulingBatch: Sendable {
    /// Results to record (fenced by attempt).
    public var results: [ResultSubmission]
    /// Attempts to close without a result.
    public var closures: [AttemptClosure]
    /// Leases to extend.
    public var renewals: [LeaseRenewal]
    /// New attempts of pending jobs.
    public var assignments: [AttemptAssignment]

    /// Creates a batch.
    public init(
        results: [ResultSubmission] = [], closures: [AttemptClosure] = [], renewals: [LeaseRenewal] = [],
        assignments: [AttemptAssignment] = []
    ) {
        self.results = results
        self.closures = closures
        self.renewals = renewals
        self.assignments = assignments
    }

    /// True when the batch writes nothing.
    public var isEmpty: Bool { results.isEmpty && closures.isEmpty && renewals.isEmpty && assignments.isEmpty }
}

/// The outcome of each item of a ``SchedulingBatch``, in the batch's order.
public struct SchedulingBatchOutcome: Sendable, Equatable {
    /// One outcome per result.
    public var results: [RecordOutcome]
    /// One outcome per closure.
    public var closures: [ClosureOutcome]
    /// Number of renewals that extended a current lease.
    public var renewed: Int
    /// One outcome per assignment.
    public var assignments: [AssignmentOutcome]
}
