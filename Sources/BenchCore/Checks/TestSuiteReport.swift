import Foundation

/// One run of the optimization test suite: its outcomes and the seed's summary figures, rendered as the seed's
/// `test_report.md`, as JUnit XML for CI systems and as JSON.
public struct TestSuiteReport: Codable, Sendable, Equatable {
    /// The seed's report title.
    public static let title = "Optimization Test Suite Report"
    /// The seed's test class, used as the JUnit suite name.
    public static let suiteName = "OptimizationTestSuite"
    /// `test_report.md`, `test_report.junit.xml`, `test_report.json`.
    public static let markdownName = "test_report.md"
    public static let junitName = "test_report.junit.xml"
    public static let jsonName = "test_report.json"

    /// Identifies the run (also in the store).
    public var suiteRunID: String
    public var phase: CheckPhase
    /// The trainer's base URL.
    public var target: String
    public var startedAt: Date
    /// One per check run, in the seed's order.
    public var outcomes: [CheckOutcome]
    /// Checks the plan disabled (not run, not counted; JUnit lists them as skipped).
    public var disabled: [CheckKind]

    public init(
        suiteRunID: String, phase: CheckPhase, target: String, startedAt: Date, outcomes: [CheckOutcome],
        disabled: [CheckKind] = []
    ) {
        self.suiteRunID = suiteRunID
        self.phase = phase
        self.target = target
        self.startedAt = CheckTimestamp.milliseconds(startedAt)
        self.outcomes = outcomes.sorted { $0.check < $1.check }
        self.disabled = disabled.sorted()
    }

    /// Checks run.
    public var total: Int { outcomes.count }
    public var passed: Int { count(.pass) }
    public var failed: Int { count(.fail) }
    public var errors: Int { count(.error) }
    /// Passed checks in percent of those run; 0 when none ran (as the seed).
    public var successRate: Double { total > 0 ? Double(passed) / Double(total) * 100 : 0 }
    /// Sum of the checks' durations, in seconds (as the seed).
    public var totalDurationSeconds: Double { outcomes.reduce(0) { $0 + $1.durationSeconds } }
    /// True when every check that ran passed (and at least one ran): the deployment may proceed.
    public var allPassed: Bool { total > 0 && passed == total }

    private func count(_ status: CheckStatus) -> Int { outcomes.filter { $0.status == status }.count }

    /// The three report files: name and contents.
    public func renderedFiles(baseName: String = "test_report") -> [(name: String, contents: String)] {
        [
            ("\(baseName).md", markdown()),
            ("\(baseName).junit.xml", junitXML()),
            ("\(baseName).json", json()),
        ]
    }

    // MARK: - JSON

    enum CodingKeys: String, CodingKey {
        case suite, summary, phase, target, disabled
        case suiteRunID = "suite_run_id"
        case startedAt = "started_at"
        case outcomes = "test_results"
    }

    enum SummaryKeys: String, CodingKey {
        case totalTests = "total_tests"
        case passedTests = "passed_tests"
        case failedTests = "failed_tests"
        case errorTests = "error_tests"
        case successRate = "success_rate"
        case totalDuration = "total_duration"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.title, forKey: .suite)
        try container.encode(suiteRunID, forKey: .suiteRunID)
        try container.encode(phase, forKey: .phase)
        try container.encode(target, forKey: .target)
        try container.encode(CheckTimestamp.format(startedAt), forKey: .startedAt)
        var summary = container.nestedContainer(keyedBy: SummaryKeys.self, forKey: .summary)
        try summary.encode(total, forKey: .totalTests)
        try summary.encode(passed, forKey: .passedTests)
        try summary.encode(failed, forKey: .failedTests)
        try summary.encode(errors, forKey: .errorTests)
        try summary.encode(successRate, forKey: .successRate)
        try summary.encode(totalDurationSeconds, forKey: .totalDuration)
        try container.encode(disabled, forKey: .disabled)
        try container.encode(outcomes, forKey: .outcomes)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let started = try container.decode(String.self, forKey: .startedAt)
        guard let date = CheckTimestamp.parse(started) else {
            throw DecodingError.dataCorruptedError(
                forKey: .startedAt, in: container, debugDescription: "not an ISO-8601 timestamp: \(started)")
        }
        self.init(
            suiteRunID: try container.decode(String.self, forKey: .suiteRunID),
            phase: try container.decode(CheckPhase.self, forKey: .phase),
            target: try container.decode(String.self, forKey: .target),
            startedAt: date,
            outcomes: try container.decode([CheckOutcome].self, forKey: .outcomes),
            disabled: try container.decodeIfPresent([CheckKind].self, forKey: .disabled) ?? [])
    }

    /// `test_report.json`: pretty-printed, sorted keys; `summary` uses the seed's figure names.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Outcomes hold only finite numbers (durations and parsed JSON numbers), strings and booleans.
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
