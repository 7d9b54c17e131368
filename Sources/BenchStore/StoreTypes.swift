import BenchCore
import Foundation

/// A collection as stored: its id, plan and whether it has finished.
public struct CollectionInfo: Sendable, Equatable {
    public let id: String
    public let createdAt: Date
    public let plan: Plan
    public let completedAt: Date?
}

/// A job handed to an agent slot: the job, its attempt number (fencing token) and the lease.
public struct JobLease: Sendable, Equatable {
    public let job: JobSpec
    public let attempt: Int
    public let agent: String
    public let leaseUntil: Date
}

/// What `leaseNextJob` decided.
public enum LeaseDecision: Sendable, Equatable {
    /// A job was assigned.
    case leased(JobLease)
    /// The next job belongs to a day whose gap has not passed; try again at this time.
    case waitUntil(Date)
    /// Nothing pending now, but assigned jobs are still out (they may come back as new attempts).
    case waitForRunning
    /// Every job is done.
    case finished
}

/// A result as an agent reports it.
public struct ResultSubmission: Sendable, Equatable {
    public let jobID: String
    public let attempt: Int
    public let agent: String
    public let metric: BaselineMetric

    public init(jobID: String, attempt: Int, agent: String, metric: BaselineMetric) {
        self.jobID = jobID
        self.attempt = attempt
        self.agent = agent
        self.metric = metric
    }
}

/// What happened to a submitted result; the coordinator acknowledges every case (`notYours` as `refused`).
public enum RecordOutcome: Sendable, Equatable {
    /// Stored and counted: the job is done.
    case committed
    /// This attempt's result was already stored (a resend); nothing changed.
    case duplicate
    /// The attempt is no longer current (the job was re-dispatched or finished otherwise): stored for audit only.
    case stale
    /// The attempt was never assigned to this agent, or the job does not exist: refused, nothing stored.
    case notYours(String)
}

/// An attempt whose lease ran out and what became of its job.
public struct ExpiredAttempt: Sendable, Equatable {
    public let jobID: String
    public let attempt: Int
    public let agent: String
    /// True when the job ran out of attempts and is now done with a harness error.
    public let gaveUp: Bool

    public init(jobID: String, attempt: Int, agent: String, gaveUp: Bool) {
        self.jobID = jobID
        self.attempt = attempt
        self.agent = agent
        self.gaveUp = gaveUp
    }
}

/// Counts and times describing a collection, for `mmmbench status` and progress lines.
public struct CollectionStatus: Sendable, Equatable {
    public var collectionID: String
    public var total: Int
    public var pending: Int
    public var assigned: Int
    public var done: Int
    /// Done jobs whose measurement failed (trainer error, timeout, bad body).
    public var failedMeasurements: Int
    /// Done jobs given up after too many lost attempts.
    public var harnessErrors: Int
    /// Jobs that needed more than one attempt.
    public var redispatched: Int
    /// Results kept for audit only (late results of expired attempts).
    public var staleResults: Int
    /// Number of jobs by number of attempts made (1 -> n jobs, 2 -> m jobs...).
    public var attemptsPerJob: [Int: Int]
    /// Agents that were ever assigned a job, with their attempt counts.
    public var agentsSeen: [String: Int]
    public var createdAt: Date
    public var lastActivity: Date?
    public var completedAt: Date?
}
