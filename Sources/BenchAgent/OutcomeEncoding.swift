import BenchCore
import BenchWire
import Foundation

/// `BaselineMetric` as a result `outcome`, built directly as a ``JSONValue``: the same value as decoding
/// `BaselineMetric.wireJSON()` (a test pins the equality), without encoding to bytes and parsing them back on every
/// result.
enum OutcomeEncoding {
    /// The outcome, or nil when a number is not finite (JSON cannot spell it; the caller takes the checked path).
    static func jsonValue(_ metric: BaselineMetric) -> JSONValue? {
        let numbers = [
            metric.timestamp.timeIntervalSince1970, metric.durationMinutes, metric.cpuHours, metric.memoryGBHours,
            metric.costEstimate, metric.durationMs,
        ]
        guard numbers.allSatisfy(\.isFinite), metric.trainerFigures.values.allSatisfy(\.isFinite) else { return nil }
        // Synthesized Encodable leaves nil optionals out; so does this.
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
        return .object(members)
    }
}
