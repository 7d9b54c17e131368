import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOCore
import NIOFoundationCompat

/// The `payload` of a `train` assignment (docs/protocol.md, "Task payloads"):
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
        // Fast paths read the members directly; anything unusual goes through the types' own Decodable.
        if let job = Self.job(payload["job"]) {
            self.job = job
        } else {
            job = try Self.decode(JobSpec.self, payload["job"], member: "job")
        }
        if let pricing = Self.pricing(payload["pricing"]) {
            self.pricing = pricing
        } else {
            pricing = try Self.decode(Pricing.self, payload["pricing"], member: "pricing")
        }
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

    /// The payload as JSON (what a coordinator sends).
    public func jsonValue() throws -> JSONValue {
        let job = try Self.decoder.decode(JSONValue.self, from: Self.encoder.encode(self.job))
        let pricing = try Self.decoder.decode(JSONValue.self, from: Self.encoder.encode(self.pricing))
        var members: [String: JSONValue] = ["job": job, "body": body, "pricing": pricing]
        successRule.addPayloadMember(to: &members)
        return .object(members)
    }

    /// The body as the bytes posted to the trainer (sorted keys, like `TrainRequest.jsonData()`), written by
    /// BenchWire's `JSONWriter` (`JSONEncoder`'s bytes with this type's options, a fraction of its cost per job).
    public func bodyData() throws -> Data {
        var bytes = ByteBuffer()
        try JSONWriter.write(body, into: &bytes)
        return Data(buffer: bytes)
    }

    /// `JobSpec` read straight from its JSON object (snake_case members, `labels` optional); nil when anything
    /// is missing or of another type, so that the Decodable path reports it.
    static func job(_ value: JSONValue?) -> JobSpec? {
        guard let value, case .object(let members) = value,
              let id = members["id"]?.stringValue, let ordinal = members["ordinal"]?.intValue,
              let day = members["day"]?.intValue, let configIndex = members["config_index"]?.intValue,
              let country = members["country"]?.stringValue, let jobType = members["job_type"]?.stringValue,
              let iterations = members["iterations"]?.intValue, let trials = members["trials"]?.intValue
        else { return nil }
        var labels: [String: String] = [:]
        switch members["labels"] {
        case nil, .null?:
            break
        case .object(let entries)?:
            for (key, entry) in entries {
                guard let text = entry.stringValue else { return nil }
                labels[key] = text
            }
        default:
            return nil
        }
        return JobSpec(id: id, ordinal: ordinal, day: day, configIndex: configIndex, country: country,
                       jobType: jobType, iterations: iterations, trials: trials, labels: labels)
    }

    /// `Pricing` read straight from its JSON object; nil when a member is missing or not a number.
    static func pricing(_ value: JSONValue?) -> Pricing? {
        guard let value, let vcpu = value["base_vcpu"]?.doubleValue, let memory = value["base_memory_gb"]?.doubleValue,
              let vcpuHour = value["vcpu_hour_usd"]?.doubleValue, let gbHour = value["gb_hour_usd"]?.doubleValue
        else { return nil }
        return Pricing(baseVCPU: vcpu, baseMemoryGB: memory, vcpuHourUSD: vcpuHour, gbHourUSD: gbHour)
    }

    private static func decode<T: Decodable>(
        _ type: T.Type, _ value: JSONValue?, member: String
    ) throws(TaskPayloadError) -> T {
        guard let value else { throw TaskPayloadError(member: member, reason: "missing") }
        do {
            return try decoder.decode(T.self, from: encoder.encode(value))
        } catch {
            throw TaskPayloadError(member: member, reason: "does not decode as \(T.self): \(error)")
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    static let decoder = JSONDecoder()
}

/// A task payload the agent cannot use; the attempt is answered with a failed result naming it.
public struct TaskPayloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The payload member at fault (`job`, `body`, `pricing`).
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
