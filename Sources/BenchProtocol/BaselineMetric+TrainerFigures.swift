import BenchCore
import BenchJSON

extension BaselineMetric {
    /// ``trainerFigures`` as the store keeps them in `result.trainer_figures`: the JSON object of the metric's
    /// `trainer_figures` member, written by BenchJSON's `JSONWriter` (sorted keys); nil for no figures, which the
    /// store keeps as NULL. Nil as well when a figure is not finite (see ``isExactInJSON``).
    public var trainerFiguresJSON: String? {
        guard !trainerFigures.isEmpty else { return nil }
        guard let bytes = try? JSONWriter.bytes(.object(trainerFigures.mapValues(JSONValue.number))) else {
            return nil
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads ``trainerFiguresJSON`` back (the figures of a stored result), with the reasons ``init(wireValue:)``
    /// gives for its `trainer_figures` member.
    public static func trainerFigures(storedJSON bytes: UnsafeRawBufferPointer)
        throws(StoredMetricError) -> [String: Double]
    {
        let value: JSONValue
        do {
            value = try JSONReader.value(from: bytes)
        } catch {
            throw .notJSON(error)
        }
        do {
            return try MetricMembers.figures(value)
        } catch {
            throw .notAMetric(error)
        }
    }
}
