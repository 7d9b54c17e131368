import BenchCore
import BenchJSON
import Foundation

/// The `payload` of a `train` assignment (docs/protocol.md, "Task payloads"): the one reader (the agent's) and the
/// one writer (the coordinator's) of its members:
///
///     {"job": <JobSpec>, "body": <the exact POST /train body>, "pricing": <Pricing>,
///      "success_rule": "status_success"}      (optional; absent = "http_200")
///
/// The agent posts `body` to the trainer and builds the measurement from `job`, `pricing` and `success_rule`.
public struct TrainTaskPayload: Sendable, Equatable {
    /// The job this attempt measures.
    public var job: JobSpec
    /// The request body, sent as JSON to the trainer.
    public var body: JSONValue
    /// The plan's prices, for the cost estimate.
    public var pricing: Pricing
    /// What makes the trainer's answer a success (the plan's `success_rule`).
    public var successRule: SuccessRule

    /// Creates a payload.
    public init(job: JobSpec, body: JSONValue, pricing: Pricing, successRule: SuccessRule = .default) {
        self.job = job
        self.body = body
        self.pricing = pricing
        self.successRule = successRule
    }

    /// Reads a payload; throws ``TaskPayloadError`` naming the member that is missing or malformed.
    public init(_ payload: JSONValue) throws(TaskPayloadError) {
        guard case .object = payload else { throw TaskPayloadError(member: "(payload)", reason: "not an object") }
        job = try Self.job(payload["job"])
        pricing = try Self.pricing(payload["pricing"])
        guard let body = payload["body"], case .object = body else {
            throw TaskPayloadError(member: "body", reason: "missing or not an object")
        }
        self.body = body
        guard let successRule = SuccessRule(payload: payload) else {
            throw TaskPayloadError(member: SuccessRule.payloadMember, reason: "must be one of "
                + SuccessRule.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.successRule = successRule
    }

    /// The payload as JSON (what a coordinator sends). Never throws; `throws` is kept for callers' `try`.
    public func jsonValue() throws -> JSONValue { json }

    /// The payload as JSON (what a coordinator sends).
    public var json: JSONValue {
        Self.object(job: Self.json(of: job), body: body, pricing: Self.json(of: pricing), successRule: successRule)
    }

    /// The payload object from its members' JSON: the one place its member names are written.
    static func object(job: JSONValue, body: JSONValue, pricing: JSONValue, successRule: SuccessRule) -> JSONValue {
        var members: [String: JSONValue] = ["job": job, "body": body, "pricing": pricing]
        successRule.addPayloadMember(to: &members)
        return .object(members)
    }

    /// The body as the bytes posted to the trainer (sorted keys, like `TrainRequest.jsonData()`).
    public func bodyData() throws(JSONWriteError) -> Data {
        Data(try JSONWriter.bytes(body))
    }

    /// `JobSpec` from its JSON object (snake_case members; `labels` and `target` optional).
    public static func job(_ value: JSONValue?) throws(TaskPayloadError) -> JobSpec {
        let member = PayloadMember(name: "job", value: value)
        let members = try member.object()
        var labels: [String: String] = [:]
        switch members["labels"] {
        case nil, .null?:
            break
        case .object(let entries)?:
            for (key, entry) in entries {
                guard let text = entry.stringValue else { throw member.invalid("labels.\(key)", "expected a string") }
                labels[key] = text
            }
        default:
            throw member.invalid("labels", "expected an object")
        }
        var job = JobSpec(
            id: try member.string("id"), ordinal: try member.int("ordinal"), day: try member.int("day"),
            configIndex: try member.int("config_index"), country: try member.string("country"),
            jobType: try member.string("job_type"), iterations: try member.int("iterations"),
            trials: try member.int("trials"), labels: labels)
        switch members["target"] {
        case nil, .null?: job.target = nil
        case .string(let target)?: job.target = target
        default: throw member.invalid("target", "expected a string")
        }
        return job
    }

    /// `Pricing` from its JSON object.
    public static func pricing(_ value: JSONValue?) throws(TaskPayloadError) -> Pricing {
        let member = PayloadMember(name: "pricing", value: value)
        _ = try member.object()
        return Pricing(baseVCPU: try member.double("base_vcpu"), baseMemoryGB: try member.double("base_memory_gb"),
                       vcpuHourUSD: try member.double("vcpu_hour_usd"), gbHourUSD: try member.double("gb_hour_usd"))
    }

    /// The JSON object of `job` (members as `JobSpec`'s coding keys; `target` only when set).
    public static func json(of job: JobSpec) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(job.id),
            "ordinal": .number(Double(job.ordinal)),
            "day": .number(Double(job.day)),
            "config_index": .number(Double(job.configIndex)),
            "country": .string(job.country),
            "job_type": .string(job.jobType),
            "iterations": .number(Double(job.iterations)),
            "trials": .number(Double(job.trials)),
            "labels": .object(job.labels.mapValues(JSONValue.string)),
        ]
        if let target = job.target { members["target"] = .string(target) }
        return .object(members)
    }

    /// The JSON object of `pricing`.
    public static func json(of pricing: Pricing) -> JSONValue {
        .object([
            "base_vcpu": .number(pricing.baseVCPU),
            "base_memory_gb": .number(pricing.baseMemoryGB),
            "vcpu_hour_usd": .number(pricing.vcpuHourUSD),
            "gb_hour_usd": .number(pricing.gbHourUSD),
        ])
    }
}

extension TrainTaskPayload {
    /// The coordinator's writer of `train` payloads for one plan: the plan's body template and pricing are converted
    /// once, each payload only adds the job's own values, so building one costs no JSON encoding. The body's member
    /// names are `TrainRequest.CodingKeys` (the seed's body, the same bytes `collect` posts).
    public struct Writer: Sendable {
        private let bodyTemplate: [String: JSONValue]
        private let pricing: JSONValue
        private let successRule: SuccessRule

        /// A writer for a plan's payload template, prices and success rule.
        public init(template: PayloadTemplate, pricing: Pricing, successRule: SuccessRule) {
            typealias Key = TrainRequest.CodingKeys
            func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
            bodyTemplate = [
                Key.revision.rawValue: .string(template.revision),
                Key.baselineTest.rawValue: .bool(template.baselineTest),
                Key.paidMediaSpends.rawValue: strings(template.paidMediaSpends),
                Key.paidMediaVars.rawValue: strings(template.paidMediaVars),
                Key.contextVars.rawValue: strings(template.contextVars),
                Key.factorVars.rawValue: strings(template.factorVars),
                Key.organicVars.rawValue: strings(template.organicVars),
            ]
            self.pricing = TrainTaskPayload.json(of: pricing)
            self.successRule = successRule
        }

        /// The payload of `job`. Its `job.id` is the task id (`JobSpec.taskID`: `{id}@{side}` in an A/B collection),
        /// which the agent's measurement carries as `job_id` and the coordinator checks against the task; the body
        /// has the seed's job id, and `job.target` is left out (the assignment carries the side).
        public func payload(for job: JobSpec) -> JSONValue {
            typealias Key = TrainRequest.CodingKeys
            var body = bodyTemplate
            body[Key.jobID.rawValue] = .string(job.id)
            body[Key.country.rawValue] = .string(job.country)
            body[Key.iterations.rawValue] = .number(Double(job.iterations))
            body[Key.trials.rawValue] = .number(Double(job.trials))
            var spec = job
            spec.id = job.taskID
            spec.target = nil
            return TrainTaskPayload.object(job: TrainTaskPayload.json(of: spec), body: .object(body), pricing: pricing,
                                           successRule: successRule)
        }
    }
}

/// Typed reads of one member object of a payload, with errors naming `member.field`.
private struct PayloadMember {
    let name: String
    let value: JSONValue?

    func invalid(_ field: String, _ reason: String) -> TaskPayloadError {
        TaskPayloadError(member: "\(name).\(field)", reason: reason)
    }

    func object() throws(TaskPayloadError) -> [String: JSONValue] {
        guard let value else { throw TaskPayloadError(member: name, reason: "missing") }
        guard case .object(let members) = value else { throw TaskPayloadError(member: name, reason: "not an object") }
        return members
    }

    private func field(_ key: String) throws(TaskPayloadError) -> JSONValue {
        guard let field = value?[key], field != .null else { throw invalid(key, "missing") }
        return field
    }

    func string(_ key: String) throws(TaskPayloadError) -> String {
        guard case .string(let text) = try field(key) else { throw invalid(key, "expected a string") }
        return text
    }

    func double(_ key: String) throws(TaskPayloadError) -> Double {
        guard case .number(let number) = try field(key) else { throw invalid(key, "expected a number") }
        return number
    }

    func int(_ key: String) throws(TaskPayloadError) -> Int {
        let value = try field(key)
        guard case .number(let number) = value else { throw invalid(key, "expected an integer, got \(value)") }
        guard number.magnitude < 9_007_199_254_740_992, let integer = Int(exactly: number) else {
            throw invalid(key, "expected an integer below 2^53 in magnitude, got \(number)")
        }
        return integer
    }
}

/// A task payload the agent cannot use; the attempt is answered with a failed result naming it.
public struct TaskPayloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The payload member at fault (`job`, `body`, `pricing`, `job.ordinal`).
    public let member: String
    /// What is wrong with it.
    public let reason: String

    /// Creates an error.
    public init(member: String, reason: String) {
        self.member = member
        self.reason = reason
    }

    public var description: String { "task payload member '\(member)': \(reason)" }
}
