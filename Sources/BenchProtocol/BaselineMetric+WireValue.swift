import BenchCore
import BenchJSON

extension BaselineMetric {
    /// The metric as a ``JSONValue``: the same value as decoding `wireJSON()` (synthesized `Encodable`: dates as
    /// seconds since 1970, nil optionals left out), built directly, without encoding to bytes and parsing them back.
    /// Agents send it as a result's `outcome`; the coordinator writes it as `metric_json` (``storageJSON``).
    ///
    /// Nil when JSON numbers cannot carry the metric exactly (a non-finite number, an integer of 2^53 or more):
    /// the caller then takes the checked `JSONEncoder` path, which reports or rejects it.
    public var wireValue: JSONValue? {
        let numbers = [
            timestamp.timeIntervalSince1970, durationMinutes, cpuHours, memoryGBHours, costEstimate, durationMs,
        ]
        let integers = [iterations, trials, attempt, httpStatus ?? 0]
        guard numbers.allSatisfy(\.isFinite), trainerFigures.values.allSatisfy(\.isFinite),
              integers.allSatisfy({ $0.magnitude < 1 << 53 })
        else { return nil }
        var members: [String: JSONValue] = [
            "timestamp": .number(timestamp.timeIntervalSince1970),
            "job_id": .string(jobID),
            "job_type": .string(jobType),
            "iterations": .number(Double(iterations)),
            "trials": .number(Double(trials)),
            "country": .string(country),
            "duration_minutes": .number(durationMinutes),
            "cpu_hours": .number(cpuHours),
            "memory_gb_hours": .number(memoryGBHours),
            "cost_estimate": .number(costEstimate),
            "success": .bool(success),
            "attempt": .number(Double(attempt)),
            "agent": .string(agent),
            "duration_ms": .number(durationMs),
            "trainer_figures": .object(trainerFigures.mapValues(JSONValue.number)),
        ]
        if let errorMessage { members["error_message"] = .string(errorMessage) }
        if let httpStatus { members["http_status"] = .number(Double(httpStatus)) }
        if let target { members["target"] = .string(target) }
        return .object(members)
    }

    /// ``wireValue`` written by BenchJSON's `JSONWriter`: byte for byte `wireJSON()` (sorted keys), or nil when
    /// ``wireValue`` is nil.
    public var storageJSON: String? {
        guard let value = wireValue else { return nil }
        guard let bytes = try? JSONWriter.bytes(value) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
