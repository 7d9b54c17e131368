import BenchCore
import BenchWire
import NIOCore

/// A result's `metric_json`, written by BenchWire's `JSONWriter` instead of `JSONEncoder`: byte for byte
/// `BaselineMetric.wireJSON()` (sorted keys, dates as seconds since 1970, nil optionals left out; a test pins the
/// equality), which `BenchStore` reads back as it reads its own encoding. Encoding every result with `JSONEncoder`
/// was about 6% of the coordinator's CPU in the dispatch benchmark.
enum MetricStorageJSON {
    /// The JSON text, or nil when the metric needs the checked path (a number that is not finite, an integer JSON
    /// numbers cannot carry exactly): the store then encodes it itself.
    static func encode(_ metric: BaselineMetric) -> String? {
        let numbers = [
            metric.timestamp.timeIntervalSince1970, metric.durationMinutes, metric.cpuHours, metric.memoryGBHours,
            metric.costEstimate, metric.durationMs,
        ]
        let integers = [metric.iterations, metric.trials, metric.attempt, metric.httpStatus ?? 0]
        guard numbers.allSatisfy(\.isFinite), metric.trainerFigures.values.allSatisfy(\.isFinite),
              integers.allSatisfy({ $0.magnitude < 1 << 53 })
        else { return nil }
        var members: [String: JSONValue] = [
            "timestamp": .number(metric.timestamp.timeIntervalSince1970),
            "job_id": .string(metric.jobID),
            "job_type": .string(metric.jobType),
            "iterations": .number(Double(metric.iterations)),
            "trials": .number(Double(metric.trials)),
            "country": .string(metric.country),
            "duration_minutes": .number(metric.durationMinutes),
            "cpu_hours": .number(metric.cpuHours),
            "memory_gb_hours": .number(metric.memoryGBHours),
            "cost_estimate": .number(metric.costEstimate),
            "success": .bool(metric.success),
            "attempt": .number(Double(metric.attempt)),
            "agent": .string(metric.agent),
            "duration_ms": .number(metric.durationMs),
            "trainer_figures": .object(metric.trainerFigures.mapValues(JSONValue.number)),
        ]
        if let error = metric.errorMessage { members["error_message"] = .string(error) }
        if let status = metric.httpStatus { members["http_status"] = .number(Double(status)) }
        var bytes = ByteBuffer()
        do {
            try JSONWriter.write(.object(members), into: &bytes)
        } catch {
            return nil
        }
        return String(buffer: bytes)
    }
}
