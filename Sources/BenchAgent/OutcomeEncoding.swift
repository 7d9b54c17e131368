import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire

/// `BaselineMetric` as a result `outcome`, built directly as a ``JSONValue`` (`BaselineMetric.wireValue`): the same
/// value as decoding `BaselineMetric.wireJSON()` (a test pins the equality), without encoding to bytes and parsing
/// them back on every result.
enum OutcomeEncoding {
    /// The outcome, or nil when JSON numbers cannot carry the metric exactly (the caller takes the checked path).
    static func jsonValue(_ metric: BaselineMetric) -> JSONValue? { metric.wireValue }
}
