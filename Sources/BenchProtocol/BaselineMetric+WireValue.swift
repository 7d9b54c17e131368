import BenchCore
import BenchJSON
import Foundation

/// The JSON of a ``BaselineMetric``: a `train` result's `outcome` on the wire (docs/protocol.md, "Task payloads"),
/// and the store's `metric_json` column before migration `v-result-metric-columns` (the store now keeps the metric
/// as columns). The one writer (``BaselineMetric/wireValue``) and the one reader (``BaselineMetric/init(wireValue:)``)
/// of its members:
///
///     {"agent":"agent-1","attempt":1,"cost_estimate":0.0001,"country":"fr","cpu_hours":0,"duration_minutes":0.2,
///      "duration_ms":12000,"http_status":200,"iterations":50,"job_id":"baseline-1-1-fr","job_type":"small",
///      "memory_gb_hours":0.05,"success":true,"timestamp":1740830400.25,"trainer_figures":{},"trials":2}
extension BaselineMetric {
    /// The metric as a ``JSONValue``: `timestamp` as seconds since 1970, nil optionals left out. Agents send it as a
    /// result's `outcome`.
    ///
    /// Nil when JSON numbers cannot carry the metric exactly (a non-finite number, an integer of 2^53 or more).
    public var wireValue: JSONValue? {
        guard isExactInJSON else { return nil }
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

    /// Whether JSON numbers carry every number of the metric exactly: all finite, integers below 2^53. A metric
    /// that fails it has no ``wireValue``, and the store refuses it (a result is kept as it could travel).
    public var isExactInJSON: Bool {
        let numbers = [
            timestamp.timeIntervalSince1970, durationMinutes, cpuHours, memoryGBHours, costEstimate, durationMs,
        ]
        let integers = [iterations, trials, attempt, httpStatus ?? 0]
        return numbers.allSatisfy(\.isFinite) && trainerFigures.values.allSatisfy(\.isFinite)
            && integers.allSatisfy({ $0.magnitude < 1 << 53 })
    }
}

extension BaselineMetric {
    /// Reads a metric from its wire JSON, already parsed (a result's `outcome`): the members go through
    /// ``MetricMembers``, the one reader of what ``wireValue`` writes (``init(storageJSON:)`` feeds it the stored
    /// bytes' members directly). Required members present and typed, integers exact, `error_message` and
    /// `http_status` optional, `timestamp` seconds since 1970. `target` is not read: the coordinator takes the side
    /// from the task and the store from the job row.
    public init(wireValue value: JSONValue) throws(OutcomeRefusal) {
        guard case .object(let fields) = value else { throw OutcomeRefusal(reason: "not an object") }
        var members = MetricMembers()
        for (key, member) in fields {
            var key = key
            key.withUTF8 { members.take($0, member) }
        }
        self = try members.metric()
    }
}

/// Why a result's outcome cannot be recorded as a measurement.
public struct OutcomeRefusal: Error, Equatable, Sendable {
    /// What is wrong, naming the member.
    public let reason: String

    /// Creates a refusal.
    public init(reason: String) {
        self.reason = reason
    }
}
