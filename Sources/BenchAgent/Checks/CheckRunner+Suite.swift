import BenchCore
import Foundation

extension CheckRunner {
    /// Runs every check except `disabled`, one after the other in the seed's order (so one check's load does not
    /// distort another's figures), and returns the suite's report. `onOutcome` sees each outcome as it is known.
    public func runSuite(
        disabled: [CheckKind] = [], suiteRunID: String = CheckTask.newSuiteRunID(), phase: CheckPhase = .standalone,
        onOutcome: @Sendable (CheckOutcome) -> Void = { _ in }
    ) async throws -> TestSuiteReport {
        let startedAt = Date()
        var outcomes: [CheckOutcome] = []
        for kind in CheckKind.allCases where !disabled.contains(kind) {
            let outcome = try await run(kind)
            onOutcome(outcome)
            outcomes.append(outcome)
        }
        return TestSuiteReport(
            suiteRunID: suiteRunID, phase: phase, target: client.baseURL, startedAt: startedAt, outcomes: outcomes,
            disabled: disabled)
    }
}
