import Foundation

/// One measurement of one job: the seed's `BaselineMetric` fields plus what a distributed, resumable harness knows.
///
/// A trainer failure (HTTP error, timeout, unreadable body) is still a measurement: `success == false` with the
/// reason in `errorMessage`, and, as in the seed, zero duration and cost (the exact time spent is in `durationMs`).
///
/// Its JSON (a `train` result's `outcome`, the store's `metric_json`) has one writer and one reader: BenchProtocol's
/// `BaselineMetric.wireValue` and `BaselineMetric(wireValue:)`.
public struct BaselineMetric: Sendable, Equatable {
    // The seed's fields.
    public var timestamp: Date
    public var jobID: String
    public var jobType: String
    public var iterations: Int
    public var trials: Int
    public var country: String
    public var durationMinutes: Double
    public var cpuHours: Double
    public var memoryGBHours: Double
    public var costEstimate: Double
    public var success: Bool
    public var errorMessage: String?
    // mmmbench's additions.
    /// Attempt number this measurement belongs to (1-based; the fencing token of the job).
    public var attempt: Int
    /// The agent that ran the job, or `local` for `mmmbench collect`.
    public var agent: String
    /// HTTP status of the trainer's answer; nil when no answer arrived (timeout, connection refused).
    public var httpStatus: Int?
    /// Exact wall duration of the request on a monotonic clock, in milliseconds (also for failures).
    public var durationMs: Double
    /// Figures the trainer reported about itself, e.g. `cpu_seconds`, `elapsed_seconds`.
    public var trainerFigures: [String: Double]
    /// The side of an interleaved A/B collection this measurement belongs to (`baseline` or `candidate`, the keys of
    /// the plan's `targets`); nil in a collection with one target. Jobs of both sides share their job id.
    public var target: String?

    public init(
        timestamp: Date, jobID: String, jobType: String, iterations: Int, trials: Int, country: String,
        durationMinutes: Double, cpuHours: Double, memoryGBHours: Double, costEstimate: Double, success: Bool,
        errorMessage: String?, attempt: Int, agent: String, httpStatus: Int?, durationMs: Double,
        trainerFigures: [String: Double] = [:], target: String? = nil
    ) {
        self.timestamp = timestamp
        self.jobID = jobID
        self.jobType = jobType
        self.iterations = iterations
        self.trials = trials
        self.country = country
        self.durationMinutes = durationMinutes
        self.cpuHours = cpuHours
        self.memoryGBHours = memoryGBHours
        self.costEstimate = costEstimate
        self.success = success
        self.errorMessage = errorMessage
        self.attempt = attempt
        self.agent = agent
        self.httpStatus = httpStatus
        self.durationMs = durationMs
        self.trainerFigures = trainerFigures
        self.target = target
    }

    /// A successful measurement: duration from the monotonic clock, costs from the seed's model.
    public static func success(
        job: JobSpec, startedAt: Date, durationMs: Double, httpStatus: Int, attempt: Int, agent: String,
        costModel: CostModel, trainerFigures: [String: Double] = [:]
    ) -> BaselineMetric {
        let minutes = durationMs / 60_000
        let cpu = costModel.cpuHours(iterations: job.iterations, trials: job.trials, durationMinutes: minutes)
        let memory = costModel.memoryGBHours(durationMinutes: minutes)
        return BaselineMetric(
            timestamp: startedAt, jobID: job.id, jobType: job.jobType, iterations: job.iterations,
            trials: job.trials, country: job.country, durationMinutes: minutes, cpuHours: cpu,
            memoryGBHours: memory, costEstimate: costModel.cost(cpuHours: cpu, memoryGBHours: memory),
            success: true, errorMessage: nil, attempt: attempt, agent: agent, httpStatus: httpStatus,
            durationMs: durationMs, trainerFigures: trainerFigures
        )
    }

    /// A failed measurement (the seed's `create_failed_metric`): zero duration and cost, the reason kept.
    public static func failure(
        job: JobSpec, startedAt: Date, durationMs: Double, httpStatus: Int?, attempt: Int, agent: String,
        error: String
    ) -> BaselineMetric {
        BaselineMetric(
            timestamp: startedAt, jobID: job.id, jobType: job.jobType, iterations: job.iterations,
            trials: job.trials, country: job.country, durationMinutes: 0, cpuHours: 0, memoryGBHours: 0,
            costEstimate: 0, success: false, errorMessage: error, attempt: attempt, agent: agent,
            httpStatus: httpStatus, durationMs: durationMs
        )
    }
}
