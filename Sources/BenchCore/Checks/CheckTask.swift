import Foundation

/// The specification of one check run somewhere else (the `payload` of a task of kind `check`): which check, which
/// share of it, with which settings, for which suite run. The agent answers with a ``CheckOutcome`` (its JSON is
/// the result's `outcome`). Its wire JSON (one reader, one writer) is BenchProtocol's `CheckTask+Wire.swift`:
///
///     {"suite_run_id": "s-1a2b3c4d", "phase": "after", "check": "load_handling",
///      "share": {"index": 0, "count": 2}, "settings": {...CheckSettings, plan keys...}}
public struct CheckTask: Sendable, Equatable {
    public var suiteRunID: String
    public var phase: CheckPhase
    public var check: CheckKind
    /// The share of a concurrent check this task runs; nil for the whole check.
    public var share: CheckShare?
    public var settings: CheckSettings

    public init(suiteRunID: String, phase: CheckPhase, check: CheckKind, share: CheckShare? = nil,
                settings: CheckSettings) {
        self.suiteRunID = suiteRunID
        self.phase = phase
        self.check = check
        self.share = share
        self.settings = settings
    }

    /// The tasks of one suite run: one per enabled check, the concurrent ones split into `concurrentShares` shares
    /// (clamped so that no share is empty), in the seed's order.
    public static func tasks(
        suiteRunID: String, phase: CheckPhase, plan: CheckPlan, concurrentShares: Int = 1
    ) -> [CheckTask] {
        plan.enabledChecks.flatMap { kind -> [CheckTask] in
            guard kind.isConcurrent, concurrentShares > 1 else {
                return [CheckTask(suiteRunID: suiteRunID, phase: phase, check: kind, settings: plan.settings)]
            }
            return CheckShare.split(requests: plan.settings.concurrentRequests(for: kind), count: concurrentShares)
                .map { share in
                    CheckTask(suiteRunID: suiteRunID, phase: phase, check: kind, share: share, settings: plan.settings)
                }
        }
    }

    /// A new suite run id, `s-` and 8 hex digits.
    public static func newSuiteRunID() -> String {
        "s-" + UUID().uuidString.lowercased().prefix(8)
    }
}
