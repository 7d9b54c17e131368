import BenchCore
import BenchStore
import Foundation

/// The coordinator's `/status` answer (JSON, documented in docs/operations.md): progress and ETA, agents, attempts,
/// results, recent failures and durations so far per job type. Made from the database and the coordinator's latest
/// progress figures.
public struct StatusDocument: Codable, Sendable, Equatable {
    public struct Progress: Codable, Sendable, Equatable {
        public var total: Int
        public var done: Int
        public var pending: Int
        public var assigned: Int
        public var percent: Double
        public var elapsedSeconds: Double?
        public var etaSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case total, done, pending, assigned, percent
            case elapsedSeconds = "elapsed_seconds"
            case etaSeconds = "eta_seconds"
        }
    }

    public struct Agent: Codable, Sendable, Equatable {
        public var name: String
        public var inFlight: Int
        public var lastActivity: String

        enum CodingKeys: String, CodingKey {
            case name
            case inFlight = "in_flight"
            case lastActivity = "last_activity"
        }
    }

    public struct Attempts: Codable, Sendable, Equatable {
        public var total: Int
        public var redispatches: Int
        public var byStatus: [String: Int]

        enum CodingKeys: String, CodingKey {
            case total, redispatches
            case byStatus = "by_status"
        }
    }

    public struct Results: Codable, Sendable, Equatable {
        public var counted: Int
        public var stale: Int
    }

    public struct Failure: Codable, Sendable, Equatable {
        public var jobID: String
        public var attempt: Int
        public var agent: String
        public var error: String
        public var receivedAt: String

        enum CodingKeys: String, CodingKey {
            case attempt, agent, error
            case jobID = "job_id"
            case receivedAt = "received_at"
        }
    }

    public struct TypeDuration: Codable, Sendable, Equatable {
        public var jobType: String
        public var count: Int
        public var meanSeconds: Double
        public var maxSeconds: Double

        enum CodingKeys: String, CodingKey {
            case count
            case jobType = "job_type"
            case meanSeconds = "mean_seconds"
            case maxSeconds = "max_seconds"
        }
    }

    public var collectionID: String
    public var generatedAt: String
    public var progress: Progress
    public var agentsConnected: Int?
    public var agents: [Agent]
    public var attempts: Attempts
    public var results: Results
    public var recentFailures: [Failure]
    public var durationByJobType: [TypeDuration]

    enum CodingKeys: String, CodingKey {
        case progress, agents, attempts, results
        case collectionID = "collection_id"
        case generatedAt = "generated_at"
        case agentsConnected = "agents_connected"
        case recentFailures = "recent_failures"
        case durationByJobType = "duration_by_job_type"
    }

    /// The document for `figures` read from the database and the coordinator's latest `progress` (nil before the
    /// first progress tick).
    public init(collectionID: String, figures: LiveStoreFigures, progress: CoordinatorProgress?, now: Date) {
        let done = figures.jobsByState["done"] ?? 0
        let total = figures.jobsByState.values.reduce(0, +)
        self.collectionID = collectionID
        generatedAt = MetricsExport.isoTimestamp(now)
        self.progress = Progress(
            total: total, done: done, pending: figures.jobsByState["pending"] ?? 0,
            assigned: figures.jobsByState["assigned"] ?? 0,
            percent: total > 0 ? (Double(done) / Double(total) * 1000).rounded() / 10 : 0,
            elapsedSeconds: progress?.elapsedSeconds, etaSeconds: progress?.etaSeconds)
        agentsConnected = progress?.agentsConnected
        let names = Set(figures.lastActivityByAgent.keys).union(figures.inFlightByAgent.keys).sorted()
        agents = names.map { name in
            Agent(name: name, inFlight: figures.inFlightByAgent[name] ?? 0,
                  lastActivity: figures.lastActivityByAgent[name].map(MetricsExport.isoTimestamp) ?? "")
        }
        attempts = Attempts(total: figures.attempts, redispatches: figures.redispatches,
                            byStatus: figures.attemptsByStatus)
        results = Results(counted: figures.resultsCounted, stale: figures.staleResults)
        recentFailures = figures.recentFailures.map {
            Failure(jobID: $0.jobID, attempt: $0.attempt, agent: $0.agent, error: $0.error,
                    receivedAt: MetricsExport.isoTimestamp($0.receivedAt))
        }
        durationByJobType = figures.durationByType.map {
            TypeDuration(jobType: $0.jobType, count: $0.count, meanSeconds: $0.meanSeconds, maxSeconds: $0.maxSeconds)
        }
    }

    /// Pretty-printed JSON with sorted keys.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
