import BenchCore
import BenchJSON
import Foundation

/// The members of a metric's JSON as they are read (from a parsed ``JSONValue`` object or straight from the stored
/// bytes), then checked and made into a ``BaselineMetric`` by ``metric()``: the one place that knows the members
/// ``BaselineMetric/wireValue`` writes and how each is read back. Unknown members are ignored; of duplicate keys the
/// first is kept, as ``JSONReader`` keeps it in an object. Keys are compared as UTF-8 bytes: every member name is
/// lowercase ASCII and `_`, which no other Unicode text is canonically equivalent to, so this is `String` equality.
struct MetricMembers {
    private var timestamp, jobID, jobType, iterations, trials, country: JSONValue?
    private var durationMinutes, cpuHours, memoryGBHours, costEstimate, success, errorMessage: JSONValue?
    private var attempt, agent, httpStatus, durationMs, trainerFigures: JSONValue?

    /// Keeps `value` as the member named `key` (UTF-8) unless one of that name was kept before.
    mutating func take(_ key: UnsafeBufferPointer<UInt8>, _ value: JSONValue) {
        func keep(_ slot: inout JSONValue?) {
            if slot == nil { slot = value }
        }
        switch key.count {
        case 5: if Self.equal(key, "agent") { keep(&agent) }
        case 6:
            if Self.equal(key, "job_id") { keep(&jobID) } else if Self.equal(key, "trials") { keep(&trials) }
        case 7:
            if Self.equal(key, "country") {
                keep(&country)
            } else if Self.equal(key, "success") {
                keep(&success)
            } else if Self.equal(key, "attempt") {
                keep(&attempt)
            }
        case 8: if Self.equal(key, "job_type") { keep(&jobType) }
        case 9:
            if Self.equal(key, "timestamp") {
                keep(&timestamp)
            } else if Self.equal(key, "cpu_hours") {
                keep(&cpuHours)
            }
        case 10: if Self.equal(key, "iterations") { keep(&iterations) }
        case 11:
            if Self.equal(key, "duration_ms") {
                keep(&durationMs)
            } else if Self.equal(key, "http_status") {
                keep(&httpStatus)
            }
        case 13:
            if Self.equal(key, "cost_estimate") {
                keep(&costEstimate)
            } else if Self.equal(key, "error_message") {
                keep(&errorMessage)
            }
        case 15:
            if Self.equal(key, "memory_gb_hours") {
                keep(&memoryGBHours)
            } else if Self.equal(key, "trainer_figures") {
                keep(&trainerFigures)
            }
        case 16: if Self.equal(key, "duration_minutes") { keep(&durationMinutes) }
        default: break
        }
    }

    @inline(__always)
    private static func equal(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        // memcmp, not a generic elementsEqual: this runs for every member of every stored metric a report reads.
        guard key.count == name.utf8CodeUnitCount, let start = key.baseAddress else { return false }
        return memcmp(start, name.utf8Start, key.count) == 0
    }

    /// The `trainer_figures` member: an object of numbers.
    static func figures(_ value: JSONValue) throws(OutcomeRefusal) -> [String: Double] {
        guard case .object(let rawFigures) = value else {
            throw OutcomeRefusal(reason: "trainer_figures: expected an object")
        }
        var figures: [String: Double] = [:]
        for (key, figure) in rawFigures {
            guard case .number(let number) = figure else {
                throw OutcomeRefusal(reason: "trainer_figures.\(key): expected a number")
            }
            figures[key] = number
        }
        return figures
    }

    /// The metric: required members present and typed, integers exact, `error_message` and `http_status` optional
    /// (absent or null), `timestamp` seconds since 1970. The first problem found is refused, naming the member.
    func metric() throws(OutcomeRefusal) -> BaselineMetric {
        func member(_ value: JSONValue?, _ key: String) throws(OutcomeRefusal) -> JSONValue {
            guard let value else { throw OutcomeRefusal(reason: "\(key): missing") }
            return value
        }
        func string(_ value: JSONValue?, _ key: String) throws(OutcomeRefusal) -> String {
            guard case .string(let text) = try member(value, key) else {
                throw OutcomeRefusal(reason: "\(key): expected a string")
            }
            return text
        }
        func double(_ value: JSONValue?, _ key: String) throws(OutcomeRefusal) -> Double {
            guard case .number(let number) = try member(value, key) else {
                throw OutcomeRefusal(reason: "\(key): expected a number")
            }
            return number
        }
        func int(_ value: JSONValue?, _ key: String) throws(OutcomeRefusal) -> Int {
            guard case .number(let number) = try member(value, key), let exact = Int(exactly: number) else {
                throw OutcomeRefusal(reason: "\(key): expected an integer")
            }
            return exact
        }
        func bool(_ value: JSONValue?, _ key: String) throws(OutcomeRefusal) -> Bool {
            guard case .bool(let flag) = try member(value, key) else {
                throw OutcomeRefusal(reason: "\(key): expected true or false")
            }
            return flag
        }
        var errorMessage: String?
        switch self.errorMessage {
        case nil, .null?: errorMessage = nil
        case .string(let text)?: errorMessage = text
        default: throw OutcomeRefusal(reason: "error_message: expected a string or null")
        }
        var httpStatus: Int?
        switch self.httpStatus {
        case nil, .null?: httpStatus = nil
        case .number(let number)? where Int(exactly: number) != nil: httpStatus = Int(exactly: number)
        default: throw OutcomeRefusal(reason: "http_status: expected an integer or null")
        }
        let figures = try Self.figures(try member(trainerFigures, "trainer_figures"))
        return BaselineMetric(
            timestamp: Date(timeIntervalSince1970: try double(timestamp, "timestamp")),
            jobID: try string(jobID, "job_id"), jobType: try string(jobType, "job_type"),
            iterations: try int(iterations, "iterations"), trials: try int(trials, "trials"),
            country: try string(country, "country"), durationMinutes: try double(durationMinutes, "duration_minutes"),
            cpuHours: try double(cpuHours, "cpu_hours"), memoryGBHours: try double(memoryGBHours, "memory_gb_hours"),
            costEstimate: try double(costEstimate, "cost_estimate"), success: try bool(success, "success"),
            errorMessage: errorMessage, attempt: try int(attempt, "attempt"), agent: try string(agent, "agent"),
            httpStatus: httpStatus, durationMs: try double(durationMs, "duration_ms"), trainerFigures: figures)
    }
}
