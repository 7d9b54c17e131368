import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation

/// Builds the `payload` of `train` assignments (docs/protocol.md, "Task payloads"; written by BenchProtocol's
/// ``TrainTaskPayload``, the type the agent reads it with). The plan's payload template is converted once; each
/// assignment only adds the job's own fields, so building a payload costs no JSON encoding.
struct TrainPayload: Sendable {
    private let template: [String: JSONValue]
    private let pricing: Pricing
    private let successRule: SuccessRule

    init(plan: Plan) throws {
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        guard case .object(let template) = try decoder.decode(JSONValue.self, from: encoder.encode(plan.payload))
        else {
            throw CoordinatorError(.configuration, operation: "build task payload", reason: "template is not an object")
        }
        self.template = template
        pricing = plan.pricing
        successRule = plan.effectiveSuccessRule
    }

    /// The payload of `job`.
    func payload(for job: JobSpec) -> JSONValue {
        var body = template
        body["job_id"] = .string(job.id)
        body["country"] = .string(job.country)
        body["iterations"] = .number(Double(job.iterations))
        body["trials"] = .number(Double(job.trials))
        // The job's `id` is the task id (`{id}@{side}` in an A/B collection): the agent's measurement carries it
        // as `job_id`, which the coordinator checks against the task; the trainer's body has the seed's job id.
        var spec = job
        spec.id = job.taskID
        spec.target = nil
        return TrainTaskPayload(job: spec, body: .object(body), pricing: pricing, successRule: successRule).json
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
