import BenchCore
import BenchJSON
import Foundation

/// The JSON of a ``BaselineMetric``: a `train` result's `outcome` on the wire (docs/protocol.md, "Task payloads") and
/// the store's `metric_json` column, the same bytes. The one writer (``BaselineMetric/wireValue``,
/// ``BaselineMetric/storageJSON``) and the one reader (``BaselineMetric/init(wireValue:)``) of its members:
///
///     {"agent":"agent-1","attempt":1,"cost_estimate":0.0001,"country":"fr","cpu_hours":0,"duration_minutes":0.2,
///      "duration_ms":12000,"http_status":200,"iterations":50,"job_id":"baseline-1-1-fr","job_type":"small",
///      "memory_gb_hours":0.05,"success":true,"timestamp":1740830400.25,"trainer_figures":{},"trials":2}
extension BaselineMetric {
    /// The metric as a ``JSONValue``: `timestamp` as seconds since 1970, nil optionals left out. Agents send it as a
    /// result's `outcome`; the coordinator writes it as `metric_json` (``storageJSON``).
    ///
    /// Nil when JSON numbers cannot carry the metric exactly (a non-finite number, an integer of 2^53 or more).
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

    /// ``wireValue`` written by BenchJSON's `JSONWriter` (sorted keys, so equal metrics give equal text), or nil
    /// when ``wireValue`` is nil.
    public var storageJSON: String? {
        guard let value = wireValue else { return nil }
        guard let bytes = try? JSONWriter.bytes(value) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension BaselineMetric {
    /// Reads a metric from its wire JSON, already parsed (a result's `outcome`): the one reader of what
    /// ``wireValue`` writes. Required members present and typed, integers exact, `error_message` and `http_status`
    /// optional, `timestamp` seconds since 1970. `target` is not read: the coordinator takes the side from the task
    /// and the store from the job row.
    public init(wireValue value: JSONValue) throws(OutcomeRefusal) {
        guard case .object(let fields) = value else { throw OutcomeRefusal(reason: "not an object") }
        func member(_ key: String) throws(OutcomeRefusal) -> JSONValue {
            guard let value = fields[key] else { throw OutcomeRefusal(reason: "\(key): missing") }
            return value
        }
        func string(_ key: String) throws(OutcomeRefusal) -> String {
            guard case .string(let text) = try member(key) else {
                throw OutcomeRefusal(reason: "\(key): expected a string")
            }
            return text
        }
        func double(_ key: String) throws(OutcomeRefusal) -> Double {
            guard case .number(let number) = try member(key) else {
                throw OutcomeRefusal(reason: "\(key): expected a number")
            }
            return number
        }
        func int(_ key: String) throws(OutcomeRefusal) -> Int {
            guard case .number(let number) = try member(key), let exact = Int(exactly: number) else {
                throw OutcomeRefusal(reason: "\(key): expected an integer")
            }
            return exact
        }
        func bool(_ key: String) throws(OutcomeRefusal) -> Bool {
            guard case .bool(let flag) = try member(key) else {
                throw OutcomeRefusal(reason: "\(key): expected true or false")
            }
            return flag
        }
        var errorMessage: String?
        switch fields["error_message"] {
        case nil, .null?: errorMessage = nil
        case .string(let text)?: errorMessage = text
        default: throw OutcomeRefusal(reason: "error_message: expected a string or null")
        }
        var httpStatus: Int?
        switch fields["http_status"] {
        case nil, .null?: httpStatus = nil
        case .number(let number)? where Int(exactly: number) != nil: httpStatus = Int(exactly: number)
        default: throw OutcomeRefusal(reason: "http_status: expected an integer or null")
        }
        guard case .object(let rawFigures) = try member("trainer_figures") else {
            throw OutcomeRefusal(reason: "trainer_figures: expected an object")
        }
        var figures: [String: Double] = [:]
        for (key, figure) in rawFigures {
            guard case .number(let number) = figure else {
                throw OutcomeRefusal(reason: "trainer_figures.\(key): expected a number")
            }
            figures[key] = number
        }
        self.init(
            timestamp: Date(timeIntervalSince1970: try double("timestamp")), jobID: try string("job_id"),
            jobType: try string("job_type"), iterations: try int("iterations"), trials: try int("trials"),
            country: try string("country"), durationMinutes: try double("duration_minutes"),
            cpuHours: try double("cpu_hours"), memoryGBHours: try double("memory_gb_hours"),
            costEstimate: try double("cost_estimate"), success: try bool("success"), errorMessage: errorMessage,
            attempt: try int("attempt"), agent: try string("agent"), httpStatus: httpStatus,
            durationMs: try double("duration_ms"), trainerFigures: figures)
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
