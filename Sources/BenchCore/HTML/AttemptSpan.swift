import Foundation

/// One attempt of a job as the report draws it on the timeline: who ran it, when, and how it ended.
public struct AttemptSpan: Sendable, Equatable {
    /// How an attempt ended, from the attempt's status and the result it delivered.
    public enum Outcome: String, Sendable, Equatable, CaseIterable {
        /// Completed with a successful measurement.
        case succeeded
        /// Completed with a failed measurement (trainer error, timeout).
        case failed
        /// The lease ran out (agent lost or silent); the job went back to pending.
        case expired
        /// The agent came back without it; the job went back to pending.
        case abandoned
        /// Given back without blame (the assignment never reached the agent).
        case released
        /// Still running when the report was made.
        case running
    }

    public var jobID: String
    /// 1-based attempt number; above 1 the job was re-dispatched.
    public var attempt: Int
    public var agent: String
    public var jobType: String
    /// 1-based day of the plan.
    public var day: Int
    /// When the attempt was assigned.
    public var start: Date
    /// When it ended; nil while running.
    public var end: Date?
    public var outcome: Outcome

    public init(
        jobID: String, attempt: Int, agent: String, jobType: String, day: Int, start: Date, end: Date?,
        outcome: Outcome
    ) {
        self.jobID = jobID
        self.attempt = attempt
        self.agent = agent
        self.jobType = jobType
        self.day = day
        self.start = start
        self.end = end
        self.outcome = outcome
    }

    /// True for attempts that did not deliver a measurement through no fault of the trainer.
    public var isLost: Bool { outcome == .expired || outcome == .abandoned }
}

extension AttemptSpan.Outcome {
    /// This outcome's place in `allCases`, for counts kept in an array rather than a dictionary.
    var caseIndex: Int {
        switch self {
        case .succeeded: 0
        case .failed: 1
        case .expired: 2
        case .abandoned: 3
        case .released: 4
        case .running: 5
        }
    }
}
