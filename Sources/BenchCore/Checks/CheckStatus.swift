/// How a check ended, as the seed's `DetailedTestResult` classifies a test.
///
/// The raw values are the seed's (`PASS`, `FAIL`, `ERROR`), so the JSON report's `status` reads as the seed's
/// `test_results` entries do.
public enum CheckStatus: String, Codable, Sendable, CaseIterable {
    /// Every criterion held.
    case pass = "PASS"
    /// The trainer answered, and a criterion did not hold: the deployment is not what it should be.
    case fail = "FAIL"
    /// The check could not be judged: no answer (connection refused, timeout), an unreadable body, or the check
    /// itself could not run (a script that could not be started).
    case error = "ERROR"

    /// The seed report's status mark: ✅, ❌ or ⚠️.
    public var mark: String {
        switch self {
        case .pass: "✅"
        case .fail: "❌"
        case .error: "⚠️"
        }
    }
}
