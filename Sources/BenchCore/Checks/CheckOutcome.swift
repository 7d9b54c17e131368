import Foundation

/// The outcome of one check (or of one share of a concurrent check): status, duration, the measured values beside
/// their thresholds and, unless it passed, the reason a person can act on.
///
/// `Codable` for the store's `check_outcome.outcome_json` column and the JSON report's entries; the `outcome` of a
/// `check` task's result on the wire has the same members and is read and written by BenchProtocol's
/// `CheckOutcome+Wire.swift` (its one reader and writer):
///
///     {"test_name": "test_09_load_handling", "check": "load_handling", "status": "FAIL", "duration": 0.84,
///      "description": "Test handling of concurrent load", "started_at": "2025-03-01T10:00:00.250Z",
///      "reason": "1 of 5 load requests succeeded (20%), more than 80% must: ...",
///      "measurements": [{"name": "success_rate", "measured": "0.20", "value": 0.2, "threshold": "> 0.8", ...}],
///      "samples": [{"request_id": 0, "result": "failed", "http_status": 500, ...}], "share": null, "agent": null,
///      "agents": ["agent-1", "agent-2"]}
///
/// `test_name` and `description` are the seed's (derived from `check`, ignored when decoding).
public struct CheckOutcome: Codable, Sendable, Equatable {
    public var check: CheckKind
    public var status: CheckStatus
    /// Wall time of the check in seconds, on a monotonic clock.
    public var durationSeconds: Double
    /// When the check started (wall clock of the host that ran it).
    public var startedAt: Date
    /// Measured values beside their thresholds, in the order the check judges them.
    public var measurements: [CheckMeasurement]
    /// For a failure or an error: what went wrong, the measured value against the threshold, and what to look at.
    public var reason: String?
    /// Per-request samples of a concurrent check (empty for the others).
    public var samples: [CheckRequestSample]
    /// The share this outcome is, when a concurrent check was split; nil for a whole check.
    public var share: CheckShare?
    /// The agent that ran it, when an agent did.
    public var agent: String?
    /// The agents whose shares a combined outcome judges, sorted (``combining(shares:kind:settings:)``); empty for
    /// an outcome of one host.
    public var agents: [String]

    public init(
        check: CheckKind, status: CheckStatus, durationSeconds: Double, startedAt: Date,
        measurements: [CheckMeasurement] = [], reason: String? = nil, samples: [CheckRequestSample] = [],
        share: CheckShare? = nil, agent: String? = nil, agents: [String] = []
    ) {
        self.check = check
        self.status = status
        self.durationSeconds = durationSeconds
        self.startedAt = CheckTimestamp.milliseconds(startedAt)
        self.measurements = measurements
        self.reason = reason
        self.samples = samples
        self.share = share
        self.agent = agent
        self.agents = agents
    }

    /// An outcome from a verdict and the check's timing.
    public init(
        check: CheckKind, verdict: CheckVerdict, startedAt: Date, durationSeconds: Double,
        share: CheckShare? = nil, agent: String? = nil, agents: [String] = []
    ) {
        self.init(
            check: check, status: verdict.status, durationSeconds: durationSeconds, startedAt: startedAt,
            measurements: verdict.measurements, reason: verdict.reason, samples: verdict.samples, share: share,
            agent: agent, agents: agents)
    }

    /// The seed's test name, e.g. `test_01_health_endpoint_response`.
    public var testName: String { check.seedTestName }
    /// The seed's description of the test.
    public var testDescription: String { check.seedDescription }

    enum CodingKeys: String, CodingKey {
        case check, status, reason, measurements, samples, share, agent, agents
        case testName = "test_name"
        case duration
        case testDescription = "description"
        case startedAt = "started_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        check = try container.decode(CheckKind.self, forKey: .check)
        status = try container.decode(CheckStatus.self, forKey: .status)
        durationSeconds = try container.decode(Double.self, forKey: .duration)
        let started = try container.decode(String.self, forKey: .startedAt)
        guard let date = CheckTimestamp.parse(started) else {
            throw DecodingError.dataCorruptedError(
                forKey: .startedAt, in: container, debugDescription: "not an ISO-8601 timestamp: \(started)")
        }
        startedAt = date
        measurements = try container.decodeIfPresent([CheckMeasurement].self, forKey: .measurements) ?? []
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        samples = try container.decodeIfPresent([CheckRequestSample].self, forKey: .samples) ?? []
        share = try container.decodeIfPresent(CheckShare.self, forKey: .share)
        agent = try container.decodeIfPresent(String.self, forKey: .agent)
        agents = try container.decodeIfPresent([String].self, forKey: .agents) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(testName, forKey: .testName)
        try container.encode(check, forKey: .check)
        try container.encode(status, forKey: .status)
        try container.encode(durationSeconds, forKey: .duration)
        try container.encode(testDescription, forKey: .testDescription)
        try container.encode(CheckTimestamp.format(startedAt), forKey: .startedAt)
        try container.encode(reason, forKey: .reason)
        try container.encode(measurements, forKey: .measurements)
        try container.encode(samples, forKey: .samples)
        try container.encode(share, forKey: .share)
        try container.encode(agent, forKey: .agent)
        try container.encode(agents, forKey: .agents)
    }
}

/// ISO-8601 UTC timestamps with milliseconds (`2025-03-01T10:00:00.250Z`) for check JSON. Dates are kept to whole
/// milliseconds (``milliseconds(_:)``), so a value equals itself after a trip through its JSON.
public enum CheckTimestamp {
    public static func format(_ date: Date) -> String {
        let total = wholeMilliseconds(date)
        let seconds = total >= 0 ? total / 1000 : (total - 999) / 1000
        let fraction = total - seconds * 1000
        let base = Date(timeIntervalSince1970: Double(seconds)).formatted(Date.ISO8601FormatStyle())
        let digits = String(fraction)
        return String(base.dropLast()) + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// The date rounded to whole milliseconds, as its JSON text reads back.
    public static func milliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(wholeMilliseconds(date)) / 1000)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (UTC, up to 9 fraction digits, milliseconds kept); nil if it is not one.
    public static func parse(_ text: String) -> Date? {
        guard text.hasSuffix("Z") else { return nil }
        let body = text.dropLast()
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = try? Date.ISO8601FormatStyle().parse(String(parts[0]) + "Z") else { return nil }
        var milliseconds = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...9).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
                  let value = Int(digits.prefix(3).padding(toLength: 3, withPad: "0", startingAt: 0))
            else { return nil }
            milliseconds = value
        }
        let seconds = Int64(whole.timeIntervalSince1970.rounded())
        return Date(timeIntervalSince1970: Double(seconds * 1000 + Int64(milliseconds)) / 1000)
    }

    static func wholeMilliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        return Int64(exactly: value) ?? 0
    }
}
