import BenchCore
import BenchWire
import Foundation

/// The `payload` of a `train` assignment (docs/protocol.md, "Task payloads"):
///
///     {"job": <JobSpec>, "body": <the exact POST /train body>, "pricing": <Pricing>}
///
/// The agent posts `body` to the trainer and builds the measurement from `job` and `pricing`.
public struct TrainTaskPayload: Sendable, Equatable {
    /// The job this attempt measures.
    public var job: JobSpec
    /// The request body, sent as JSON to the trainer.
    public var body: JSONValue
    /// The plan's prices, for the cost estimate.
    public var pricing: Pricing

    /// Creates a payload.
    public init(job: JobSpec, body: JSONValue, pricing: Pricing) {
        self.job = job
        self.body = body
        self.pricing = pricing
    }

    /// Reads a payload; throws ``TaskPayloadError`` naming the member that is missing or malformed.
    public init(_ payload: JSONValue) throws(TaskPayloadError) {
        guard case .object = payload else { throw TaskPayloadError(member: "(payload)", reason: "not an object") }
        job = try Self.decode(JobSpec.self, payload["job"], member: "job")
        pricing = try Self.decode(Pricing.self, payload["pricing"], member: "pricing")
        guard let body = payload["body"], case .object = body else {
            throw TaskPayloadError(member: "body", reason: "missing or not an object")
        }
        self.body = body
    }

    /// The payload as JSON (what a coordinator sends).
    public func jsonValue() throws -> JSONValue {
        let job = try Self.decoder.decode(JSONValue.self, from: Self.encoder.encode(self.job))
        let pricing = try Self.decoder.decode(JSONValue.self, from: Self.encoder.encode(self.pricing))
        return .object(["job": job, "body": body, "pricing": pricing])
    }

    /// The body as the bytes posted to the trainer (sorted keys, like `TrainRequest.jsonData()`).
    public func bodyData() throws -> Data {
        try Self.encoder.encode(body)
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
