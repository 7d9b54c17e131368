import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation

/// Builds the `payload` of `train` assignments (docs/protocol.md, "Task payloads"):
///
///     {"job": <JobSpec>, "body": <TrainRequest: the exact POST /train body>, "pricing": <Pricing>,
///      "success_rule": <the plan's SuccessRule, left out when it is the default>}
///
/// The plan's constant parts (payload template, pricing) are converted once; each assignment only adds the job's
/// own fields, so building a payload costs no JSON encoding.
struct TrainPayload: Sendable {
    private let template: [String: JSONValue]
    private let pricing: JSONValue
    private let successRule: SuccessRule

    init(plan: Plan) throws {
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        guard case .object(let template) = try decoder.decode(JSONValue.self, from: encoder.encode(plan.payload))
        else {
            throw CoordinatorError(.configuration, operation: "build task payload", reason: "template is not an object")
        }
        self.template = template
        pricing = try decoder.decode(JSONValue.self, from: encoder.encode(plan.pricing))
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
        let spec: JSONValue = .object([
            "id": .string(job.taskID),
            "ordinal": .number(Double(job.ordinal)),
            "day": .number(Double(job.day)),
            "config_index": .number(Double(job.configIndex)),
            "country": .string(job.country),
            "job_type": .string(job.jobType),
            "iterations": .number(Double(job.iterations)),
            "trials": .number(Double(job.trials)),
            "labels": .object(job.labels.mapValues(JSONValue.string)),
        ])
        var members: [String: JSONValue] = ["job": spec, "body": .object(body), "pricing": pricing]
        successRule.addPayloadMember(to: &members)
        return .object(members)
    }
}

/// Reads the measurement of a `train` result (docs/protocol.md, "Task payloads").
///
/// The outcome arrives already parsed as a `JSONValue`; it is read field by field with the rules of
/// `BaselineMetric`'s `Decodable` conformance (required members present and typed, integers exact, `error_message`
/// and `http_status` optional, `timestamp` seconds since 1970), without encoding it back to JSON text and decoding
/// that again (which cost a fifth of the coordinator's CPU per job).
enum TrainOutcome {
    /// The metric of `result`, with `job_id` and `attempt` from the task and `agent` the authenticated identity;
    /// or why it cannot be recorded.
    static func metric(of result: WireMessage.TaskResult, agent: String) -> Result<BaselineMetric, OutcomeRefusal> {
        var metric: BaselineMetric
        do {
            metric = try read(result.outcome)
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

    /// Reads a `BaselineMetric` from its wire JSON, already parsed.
    static func read(_ value: JSONValue) throws(OutcomeRefusal) -> BaselineMetric {
        guard case .object(let fields) = value else { throw OutcomeRefusal(reason: "not an object") }
        func member(_ key: String) throws(OutcomeRefusal) -> JSONValue {
            guard let value = fields[key] else { throw OutcomeRefusal(reason: "\(key): missing") }
            return value
        }
        func string(_ key: String) throws(OutcomeRefusal) -> String {
            guard case .string(let text) = try member(key) else {
                throw OutcomeRefusal(reason: "\(key): expected a string")
            }
            return text
        }
        func double(_ key: String) throws(OutcomeRefusal) -> Double {
            guard case .number(let number) = try member(key) else {
                throw OutcomeRefusal(reason: "\(key): expected a number")
            }
            return number
        }
        func int(_ key: String) throws(OutcomeRefusal) -> Int {
            guard case .number(let number) = try member(key), let exact = Int(exactly: number) else {
                throw OutcomeRefusal(reason: "\(key): expected an integer")
            }
            return exact
        }
        func bool(_ key: String) throws(OutcomeRefusal) -> Bool {
            guard case .bool(let flag) = try member(key) else {
                throw OutcomeRefusal(reason: "\(key): expected true or false")
            }
            return flag
        }
        var errorMessage: String?
        switch fields["error_message"] {
        case nil, .null?: errorMessage = nil
        case .string(let text)?: errorMessage = text
        default: throw OutcomeRefusal(reason: "error_message: expected a string or null")
        }
        var httpStatus: Int?
        switch fields["http_status"] {
        case nil, .null?: httpStatus = nil
        case .number(let number)? where Int(exactly: number) != nil: httpStatus = Int(exactly: number)
        default: throw OutcomeRefusal(reason: "http_status: expected an integer or null")
        }
        guard case .object(let rawFigures) = try member("trainer_figures") else {
            throw OutcomeRefusal(reason: "trainer_figures: expected an object")
        }
        var figures: [String: Double] = [:]
        for (key, figure) in rawFigures {
            guard case .number(let number) = figure else {
                throw OutcomeRefusal(reason: "trainer_figures.\(key): expected a number")
            }
            figures[key] = number
        }
        return BaselineMetric(
            timestamp: Date(timeIntervalSince1970: try double("timestamp")), jobID: try string("job_id"),
            jobType: try string("job_type"), iterations: try int("iterations"), trials: try int("trials"),
            country: try string("country"), durationMinutes: try double("duration_minutes"),
            cpuHours: try double("cpu_hours"), memoryGBHours: try double("memory_gb_hours"),
            costEstimate: try double("cost_estimate"), success: try bool("success"), errorMessage: errorMessage,
            attempt: try int("attempt"), agent: try string("agent"), httpStatus: httpStatus,
            durationMs: try double("duration_ms"), trainerFigures: figures)
    }
}

/// Why a result's outcome cannot be recorded.
struct OutcomeRefusal: Error, Equatable, Sendable {
    let reason: String
}
