import BenchCore
import BenchWire
import Foundation

/// Builds the `payload` of `train` assignments (docs/protocol.md, "Task payloads"):
///
///     {"job": <JobSpec>, "body": <TrainRequest: the exact POST /train body>, "pricing": <Pricing>}
///
/// The plan's constant parts (payload template, pricing) are converted once; each assignment only adds the job's
/// own fields, so building a payload costs no JSON encoding.
struct TrainPayload: Sendable {
    private let template: [String: JSONValue]
    private let pricing: JSONValue

    init(plan: Plan) throws {
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        guard case .object(let template) = try decoder.decode(JSONValue.self, from: encoder.encode(plan.payload))
        else { throw CoordinatorError(.configuration, operation: "build task payload", reason: "template is not an object") }
        self.template = template
        pricing = try decoder.decode(JSONValue.self, from: encoder.encode(plan.pricing))
    }

    /// The payload of `job`.
    func payload(for job: JobSpec) -> JSONValue {
        var body = template
        body["job_id"] = .string(job.id)
        body["country"] = .string(job.country)
        body["iterations"] = .number(Double(job.iterations))
        body["trials"] = .number(Double(job.trials))
        let spec: JSONValue = .object([
            "id": .string(job.id),
            "ordinal": .number(Double(job.ordinal)),
            "day": .number(Double(job.day)),
            "config_index": .number(Double(job.configIndex)),
            "country": .string(job.country),
            "job_type": .string(job.jobType),
            "iterations": .number(Double(job.iterations)),
            "trials": .number(Double(job.trials)),
            "labels": .object(job.labels.mapValues(JSONValue.string)),
        ])
        return .object(["job": spec, "body": .object(body), "pricing": pricing])
    }
}

/// Reads the measurement of a `train` result (docs/protocol.md, "Task payloads").
enum TrainOutcome {
    private static let encoder = JSONEncoder()

    /// The metric of `result`, with `job_id` and `attempt` from the task and `agent` the authenticated identity;
    /// or why it cannot be recorded.
    static func metric(of result: WireMessage.TaskResult, agent: String) -> Result<BaselineMetric, OutcomeRefusal> {
        let data: Data
        do {
            data = try encoder.encode(result.outcome)
        } catch {
            return .failure(OutcomeRefusal(reason: "outcome cannot be re-encoded: \(error)"))
        }
        var metric: BaselineMetric
        do {
            metric = try BaselineMetric(wireJSON: data)
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

/// Why a result's outcome cannot be recorded.
struct OutcomeRefusal: Error, Equatable, Sendable {
    let reason: String
}
