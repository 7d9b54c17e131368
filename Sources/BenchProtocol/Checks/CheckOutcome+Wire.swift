import BenchCore
import BenchJSON

/// The `outcome` of a `check` task's `result` (docs/protocol.md, "Task payloads"): the one writer (the agent's, and
/// the coordinator's for checks it runs itself) and the one reader (the coordinator's) of its members.
///
/// Written: every member, `reason`, `share` and `agent` as `null` when unset; a sample's `http_status`, `detail` and
/// `agent` left out when unset. Read: `check`, `status`, `duration` and `started_at` required; `measurements`,
/// `samples` and `agents` read as empty when absent or `null`; `test_name` and `description` (the seed's, derived
/// from `check`) ignored. (`CheckOutcome` keeps its `Codable` conformance, with the same keys, for the store's
/// `check_outcome.outcome_json` column and the JSON test-suite report.)
extension CheckOutcome {
    /// The outcome as JSON.
    public var wireValue: JSONValue {
        .object([
            "test_name": .string(testName),
            "check": .string(check.rawValue),
            "status": .string(status.rawValue),
            "duration": .number(durationSeconds),
            "description": .string(testDescription),
            "started_at": .string(CheckTimestamp.format(startedAt)),
            "reason": reason.map(JSONValue.string) ?? .null,
            "measurements": .array(measurements.map(\.wireValue)),
            "samples": .array(samples.map(\.wireValue)),
            "share": share?.wireValue ?? .null,
            "agent": agent.map(JSONValue.string) ?? .null,
            "agents": .array(agents.map(JSONValue.string)),
        ])
    }

    /// Reads an outcome; throws ``CheckWireError`` naming the member that is missing or malformed.
    public init(wireValue value: JSONValue) throws(CheckWireError) {
        let fields = try CheckFields(value, document: .outcome)
        let started = try fields.string("started_at")
        guard let startedAt = CheckTimestamp.parse(started) else {
            throw fields.invalid("started_at", "not an ISO-8601 UTC timestamp such as 2025-03-01T10:00:00.250Z")
        }
        self.init(
            check: try fields.enumeration("check", as: CheckKind.self),
            status: try fields.enumeration("status", as: CheckStatus.self),
            durationSeconds: try fields.double("duration"),
            startedAt: startedAt,
            measurements: try fields.optionalArray("measurements") { element, path throws(CheckWireError) in
                try CheckMeasurement(wireFields: CheckFields(element, document: .outcome, path: path))
            },
            reason: try fields.optionalString("reason"),
            samples: try fields.optionalArray("samples") { element, path throws(CheckWireError) in
                try CheckRequestSample(wireFields: CheckFields(element, document: .outcome, path: path))
            },
            share: try fields.optionalObject("share").map { share throws(CheckWireError) in
                try CheckShare(wireFields: share)
            },
            agent: try fields.optionalString("agent"),
            agents: try fields.optionalArray("agents") { element, path throws(CheckWireError) in
                guard case .string(let name) = element else {
                    throw CheckWireError(document: .outcome, member: path,
                                         reason: "expected a string, got \(element.kindName)")
                }
                return name
            })
    }
}

extension CheckMeasurement {
    /// Every member; `measured`, `value` and `met` `null` when unset.
    var wireValue: JSONValue {
        .object([
            "name": .string(name),
            "measured": measured.map(JSONValue.string) ?? .null,
            "value": value.map(JSONValue.number) ?? .null,
            "threshold": .string(threshold),
            "met": met.map(JSONValue.bool) ?? .null,
            "unit": .string(unit),
        ])
    }

    /// `name`, `threshold` and `unit` required; `measured`, `value` and `met` optional.
    init(wireFields fields: CheckFields) throws(CheckWireError) {
        self.init(
            name: try fields.string("name"), measured: try fields.optionalString("measured"),
            value: try fields.optionalDouble("value"), threshold: try fields.string("threshold"),
            met: try fields.optionalBool("met"), unit: try fields.string("unit"))
    }
}

extension CheckRequestSample {
    /// `http_status`, `detail` and `agent` left out when unset.
    var wireValue: JSONValue {
        var members: [String: JSONValue] = [
            "request_id": .number(Double(requestID)),
            "result": .string(result.rawValue),
            "start_offset_ms": .number(startOffsetMs),
            "duration_ms": .number(durationMs),
        ]
        if let httpStatus { members["http_status"] = .number(Double(httpStatus)) }
        if let detail { members["detail"] = .string(detail) }
        if let agent { members["agent"] = .string(agent) }
        return .object(members)
    }

    /// `request_id`, `result`, `start_offset_ms` and `duration_ms` required; the others optional.
    init(wireFields fields: CheckFields) throws(CheckWireError) {
        self.init(
            requestID: try fields.int("request_id"), result: try fields.enumeration("result", as: Result.self),
            httpStatus: try fields.optionalInt("http_status"), startOffsetMs: try fields.double("start_offset_ms"),
            durationMs: try fields.double("duration_ms"), detail: try fields.optionalString("detail"),
            agent: try fields.optionalString("agent"))
    }
}
