import BenchCore
import BenchJSON

extension BaselineMetric {
    /// Reads a metric as the store keeps it (`result.metric_json`, written as ``storageJSON``, or by `JSONEncoder`
    /// in databases written before): BenchJSON's reader on the bytes, then ``init(wireValue:)``, the one reader of
    /// the metric's JSON. `target` is not part of the stored JSON's meaning: the store sets it from the job row.
    public init(storageJSON bytes: UnsafeRawBufferPointer) throws(StoredMetricError) {
        let value: JSONValue
        do {
            value = try JSONReader.value(from: bytes)
        } catch {
            throw .notJSON(error)
        }
        do {
            try self.init(wireValue: value)
        } catch {
            throw .notAMetric(error)
        }
    }
}

/// Why a stored metric cannot be read back.
public enum StoredMetricError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not a JSON text.
    case notJSON(JSONReadError)
    /// The JSON is not a metric (a member missing or of the wrong type).
    case notAMetric(OutcomeRefusal)

    public var description: String {
        switch self {
        case .notJSON(let error): "not JSON: \(error)"
        case .notAMetric(let refusal): "not a metric: \(refusal.reason)"
        }
    }
}
