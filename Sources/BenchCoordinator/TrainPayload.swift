import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation

/// The `payload` of `train` assignments (docs/protocol.md, "Task payloads"): the plan's values handed to
/// BenchProtocol's ``TrainTaskPayload/Writer``, the one writer of the payload the agent reads with
/// ``TrainTaskPayload``. The coordinator spells no member name.
struct TrainPayload: Sendable {
    private let writer: TrainTaskPayload.Writer

    init(plan: Plan) {
        writer = TrainTaskPayload.Writer(template: plan.payload, pricing: plan.pricing,
                                         successRule: plan.effectiveSuccessRule)
    }

    /// The payload of `job`.
    func payload(for job: JobSpec) -> JSONValue {
        writer.payload(for: job)
    }
}

/// Reads the measurement of a `train` result (docs/protocol.md, "Task payloads").
///
/// The outcome is read by BenchProtocol's `BaselineMetric(wireValue:)`, the one reader of the measurement the agent
/// wrote with `BaselineMetric.wireValue`; this adds the coordinator's checks (the job is the task's).
enum TrainOutcome {
    /// The metric of `result`, with `job_id` and `attempt` from the task and `agent` the authenticated identity;
    /// or why it cannot be recorded.
    static func metric(of result: WireMessage.TaskResult, agent: String) -> Result<BaselineMetric, OutcomeRefusal> {
        var metric: BaselineMetric
        do {
            metric = try BaselineMetric(wireValue: result.outcome)
        } catch {
            return .failure(OutcomeRefusal(reason: "outcome is not a train measurement: \(error.reason)"))
        }
        guard metric.jobID == result.task.taskID else {
            return .failure(OutcomeRefusal(
                reason: "outcome job_id '\(metric.jobID.prefix(80))' differs from the task \(result.task.taskID)"))
        }
        metric.attempt = result.task.attempt
        metric.agent = agent
        return .success(metric)
    }
}
