import BenchCore
import BenchJSON

extension BaselineMetric {
    /// Reads a metric as the store kept it before migration `v-result-metric-columns` (`result.metric_json`: the
    /// ``wireValue`` written by `JSONWriter`, or by `JSONEncoder` in older databases): BenchJSON's reader walks the object's members on the bytes and hands them to
    /// ``MetricMembers``, the one reader of the metric's members (``init(wireValue:)`` uses it too), with no
    /// dictionary of the object in between. Accepts and refuses what `JSONReader.value(from:)` then
    /// ``init(wireValue:)`` would, with the same reasons. `target` is not part of the stored JSON's meaning: the
    /// store sets it from the job row.
    public init(storageJSON bytes: UnsafeRawBufferPointer) throws(StoredMetricError) {
        var members = MetricMembers()
        let isObject: Bool
        do {
            isObject = try JSONReader.forEachMember(ofObjectIn: bytes) { key, value in members.take(key, value) }
        } catch {
            throw .notJSON(error)
        }
        guard isObject else { throw .notAMetric(OutcomeRefusal(reason: "not an object")) }
        do {
            self = try members.metric()
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
