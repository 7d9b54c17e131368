import BenchCore
import BenchJSON
import BenchProtocol

/// A result's `metric_json`, written by BenchWire's `JSONWriter` instead of `JSONEncoder`
/// (`BaselineMetric.storageJSON`): byte for byte `BaselineMetric.wireJSON()` (a test pins the equality), which
/// `BenchStore` reads back as it reads its own encoding. Encoding every result with `JSONEncoder` was about 6% of
/// the coordinator's CPU in the dispatch benchmark.
enum MetricStorageJSON {
    /// The JSON text, or nil when the metric needs the checked path (a number that is not finite, an integer JSON
    /// numbers cannot carry exactly): the store then encodes it itself.
    static func encode(_ metric: BaselineMetric) -> String? { metric.storageJSON }
}
