import Foundation

/// The `outcome` of a `train` result on the wire (docs/protocol.md, "Task payloads").
///
/// The outcome is the JSON encoding of ``BaselineMetric`` with its `CodingKeys` (`job_id`, `duration_ms`, ...) and
/// `timestamp` as seconds since 1970 (a JSON number, exact to the microsecond):
///
///     {"agent":"agent-1","attempt":1,"cost_estimate":0.0001,"country":"fr","cpu_hours":0,"duration_minutes":0.2,
///      "duration_ms":12000,"error_message":null,"http_status":200,"iterations":50,"job_id":"baseline-1-1-fr",
///      "job_type":"small","memory_gb_hours":0.05,"success":true,"timestamp":1740830400.25,"trainer_figures":{},
///      "trials":2}
///
/// Agents encode with ``wireJSON()``; the coordinator decodes with ``init(wireJSON:)``.
extension BaselineMetric {
    /// The metric as wire JSON bytes (sorted keys, so equal metrics give equal bytes).
    /// - Throws: ``MetricWireError`` when a number is not finite (JSON cannot spell NaN or infinity).
    public func wireJSON() throws(MetricWireError) -> Data {
        do {
            return try MetricWireCoding.encoder.encode(self)
        } catch {
            throw MetricWireError(operation: "encode", reason: MetricWireCoding.reason(error))
        }
    }

    /// Decodes a metric from wire JSON bytes.
    /// - Throws: ``MetricWireError`` naming the field that is missing or has the wrong type.
    public init(wireJSON data: Data) throws(MetricWireError) {
        do {
            self = try MetricWireCoding.decoder.decode(BaselineMetric.self, from: data)
        } catch {
            throw MetricWireError(operation: "decode", reason: MetricWireCoding.reason(error))
        }
    }
}

/// A metric that cannot be converted to or from its wire JSON, with the field and the reason.
public struct MetricWireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `encode` or `decode`.
    public let operation: String
    /// What failed, e.g. `duration_ms: expected a number`.
    public let reason: String

    public init(operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "cannot \(operation) metric: \(reason)" }
}

enum MetricWireCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    /// The coding path and reason of a coding error, without any payload contents.
    static func reason(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case DecodingError.valueNotFound(_, let context):
            return "\(path(context.codingPath)): must not be null"
        case DecodingError.typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "not JSON: \(context.debugDescription)" : "\(path(context.codingPath)): \(context.debugDescription)"
        case EncodingError.invalidValue(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        default:
            return String(describing: type(of: error))
        }
    }
}
