import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation

/// One `check` task of the check the suite is running: its current attempt and where it stands.
///
/// Task ids are `check-{suite_run_id}-{check}` for a whole check and `check-{suite_run_id}-{check}-{n}of{count}`
/// (n 1-based) for a share of a concurrent check, so a result names its suite run and cannot be taken for a
/// baseline job (`baseline-...`).
struct CheckTaskState: Sendable, Equatable {
    enum Placement: Sendable, Equatable {
        /// Not assigned (new, or its last attempt was lost).
        case pending
        /// Assigned to `agent` (session `sessionID`) with a lease; `deadline` bounds the attempt even while the agent
        /// keeps renewing the lease (the check's worst-case time plus one lease).
        case assigned(agent: String, sessionID: UInt64, leaseUntil: Date, deadline: Date)
        /// Running on the coordinator's own host (the rollback check).
        case local
        /// Has its outcome (stored, or being stored in the round that accepted it).
        case done(CheckOutcome)
    }

    let task: CheckTask
    let taskID: String
    var attempt = 1
    var placement: Placement = .pending
    /// Why earlier attempts were lost, oldest first (for the `error` outcome after the last one).
    var lostAttempts: [String] = []

    init(_ task: CheckTask) {
        self.task = task
        self.taskID = Self.taskID(for: task)
    }

    var ref: TaskRef { TaskRef(taskID: taskID, attempt: attempt) }

    var outcome: CheckOutcome? {
        if case .done(let outcome) = placement { outcome } else { nil }
    }

    var agent: String? {
        if case .assigned(let agent, _, _, _) = placement { agent } else { nil }
    }

    /// `check_suite_run` id, check and share as a task id.
    static func taskID(for task: CheckTask) -> String {
        let base = "\(CheckSuiteDriver.taskPrefix)\(task.suiteRunID)-\(task.check.rawValue)"
        guard let share = task.share, share.count > 1 else { return base }
        return base + "-\(share.index + 1)of\(share.count)"
    }

    /// An `error` outcome of this task's check (or share) with `reason`.
    func errorOutcome(_ reason: String, agent: String?, at now: Date) -> CheckOutcome {
        CheckOutcome(check: task.check, status: .error, durationSeconds: 0, startedAt: now, reason: reason,
                     share: task.check.isConcurrent ? task.share : nil, agent: agent)
    }
}
