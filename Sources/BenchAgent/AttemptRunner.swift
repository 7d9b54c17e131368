import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation

/// Executes one assigned attempt and returns its `outcome`: the single place where task kinds are dispatched.
///
/// - `train`: posts the payload's `body` to the trainer (`trainer_path`, default `/train`) with the assignment's
///   `timeout_ms`, times it on a monotonic clock and returns the `BaselineMetric` as JSON (success or failed
///   measurement). Without a trainer (``trainer`` nil, `--no-trainer`) it answers at once with a synthetic success
///   of zero duration, for dispatch benchmarks.
/// - `check`: decodes the `CheckTask` payload, runs the check (or its share) against the trainer and returns the
///   `CheckOutcome` as JSON (see `check(_:)`); an unusable payload or a missing trainer is an `error` outcome.
///
/// Trainer and payload problems are failed outcomes, never errors: only cancellation is thrown.
public struct AttemptRunner: Sendable {
    /// The trainer's client, or nil to skip the trainer call (synthetic successes).
    public let trainer: TrainerClient?
    /// The agent name written into measurements (the certificate identity).
    public let agentName: String
    /// The agent's view of its trainer: a call that cannot connect is checked against it (nil: every answer is a
    /// measurement, as for a runner used on its own).
    var reachability: TrainerReachability?
    /// Gets the duration of each trainer call (`agent --http`'s `/metrics`); nil: not recorded.
    var metrics: AgentMetrics?

    /// Creates a runner.
    public init(trainer: TrainerClient?, agentName: String) {
        self.trainer = trainer
        self.agentName = agentName
    }

    /// The default trainer path of `train` tasks.
    public static let defaultTrainerPath = "/train"

    /// Runs `assignment` to its outcome. Throws only `CancellationError` (the attempt was cancelled).
    public func run(_ assignment: WireMessage.Assign) async throws -> JSONValue {
        switch assignment.kind {
        case .train:
            return try await train(assignment)
        case .check:
            return try await check(assignment)
        }
    }

    func train(_ assignment: WireMessage.Assign) async throws -> JSONValue {
        let startedAt = Date()
        let attempt = assignment.task.attempt
        let payload: TrainTaskPayload
        do {
            payload = try TrainTaskPayload(assignment.payload)
        } catch {
            // Still a measurement the coordinator can record (and acknowledge): a failure naming the problem.
            return Self.outcome(.failure(job: Self.placeholderJob(for: assignment.task), startedAt: startedAt,
                                         durationMs: 0, httpStatus: nil, attempt: attempt, agent: agentName,
                                         error: "unusable train task: \(error)"))
        }
        let costModel = CostModel(pricing: payload.pricing)
        var metric: BaselineMetric
        if let trainer = trainer.map({ $0.forTarget(of: assignment) }) {
            let body: Data
            do {
                body = try payload.bodyData()
            } catch {
                return Self.outcome(.failure(job: payload.job, startedAt: startedAt, durationMs: 0, httpStatus: nil,
                                             attempt: attempt, agent: agentName, error: "cannot encode body: \(error)"))
            }
            let answer = try await trainer.post(
                path: assignment.trainerPath ?? Self.defaultTrainerPath, json: body,
                timeoutSeconds: Double(assignment.timeoutMS) / 1000)
            CrashPoint.reach(.agentAfterTrainer)
            if answer.connectFailure != nil, let reachability, let reason = await reachability.confirmUnreachable() {
                // Not a measurement: the agent's setup failed (docs/protocol.md, "An agent that cannot reach its
                // trainer"); the coordinator dispatches the job again.
                return HarnessFailureOutcome.make(reason: reason)
            }
            metric = JobRunner.metric(for: answer, job: payload.job, attempt: attempt, agent: agentName,
                                      startedAt: startedAt, costModel: costModel, successRule: payload.successRule)
            metrics?.trainerCall(jobType: payload.job.jobType, success: metric.success,
                                 seconds: metric.durationMs / 1000)
        } else {
            metric = .success(job: payload.job, startedAt: startedAt, durationMs: 0, httpStatus: 200,
                              attempt: attempt, agent: agentName, costModel: costModel)
        }
        metric.target = assignment.target
        return Self.outcome(metric)
    }

    /// The metric as a result `outcome` (BenchProtocol's `BaselineMetric.wireValue`, its one writer). A metric JSON
    /// cannot carry exactly (a non-finite number, an integer of 2^53 or more) becomes a failed measurement saying so.
    static func outcome(_ metric: BaselineMetric) -> JSONValue {
        if let value = metric.wireValue { return value }
        let reason = "cannot encode the measurement: a number is not finite or not exact in JSON"
        var failed = metric
        failed.success = false
        failed.errorMessage = reason
        failed.trainerFigures = [:]
        return failed.wireValue ?? failedOutcome(reason)
    }

    /// A job standing in for one whose payload was unusable: the task id, with day, config and country read from
    /// it when it has the seed's `baseline-{day}-{config}-{country}` form.
    static func placeholderJob(for task: TaskRef) -> JobSpec {
        let parts = task.taskID.split(separator: "-", maxSplits: 3, omittingEmptySubsequences: false)
        let day = parts.count == 4 ? Int(parts[1]) ?? 0 : 0
        let config = parts.count == 4 ? Int(parts[2]) ?? 0 : 0
        let country = parts.count == 4 ? String(parts[3]) : ""
        return JobSpec(id: task.taskID, ordinal: 0, day: day, configIndex: config, country: country,
                       jobType: "unknown", iterations: 0, trials: 0)
    }

    /// The outcome of an attempt that produced no measurement: `{"success": false, "error": reason}`.
    public static func failedOutcome(_ reason: String) -> JSONValue {
        .object(["success": .bool(false), "error": .string(reason)])
    }
}
