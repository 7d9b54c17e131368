import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation

/// Runs a collection's optimization test suite (plan `checks.run`) through the connected agents: an in-memory
/// state machine the scheduler consults on each round. Check tasks never touch the job table; their outcomes go to
/// the suite tables (`check_suite_run`, `check_outcome`).
///
/// - Order: the phases of the plan's placement (`before`, `after`); within a suite the enabled checks one after the
///   other in the seed's order, one check's tasks at a time (so one check's load does not distort another's).
/// - Placement: a concurrent check (parallel processing, load handling) is split into one share per distinct
///   connected agent, at most ``Configuration/maxShares``, and the shares' outcomes are combined
///   (`CheckOutcome.combining`); the rollback check runs on the coordinator's host when a local runner exists;
///   every other check is one task for one agent (agents taken in turn).
/// - Failures: an attempt whose lease (or deadline) runs out is assigned again as the next attempt; after
///   ``Configuration/maxAttempts`` lost attempts its check (or share) is recorded as `error` with the causes. An
///   agent's outcome that is not a ``CheckOutcome`` is an `error` with what the agent said. The suite always
///   completes.
/// - Results of a task that is not current (another suite run, an earlier attempt, already done) are `stale`.
struct CheckSuiteDriver: Sendable {
    struct Configuration: Sendable {
        var collectionID: String
        var plan: CheckPlan
        /// What the reports name as the target (the agents' trainer).
        var target: String
        var maxAttempts: Int
        var leaseSeconds: Double
        /// Most shares a concurrent check is split into (capped by the connected agents and by its requests).
        var maxShares: Int = 2
        /// Whether the rollback check runs on the coordinator's host (else on an agent).
        var rollbackRunsLocally: Bool
        /// Agents that must be connected before a suite's first check goes out (so a concurrent check is not split
        /// over fewer hosts just because the others are still connecting); later checks take whoever is connected.
        var minAgents: Int = 1
    }

    /// A suite run in progress.
    struct OpenSuite: Sendable {
        let run: CheckSuiteRun
        /// Checks not started yet, in order.
        var queue: [CheckKind]
        /// The tasks of the check in progress (several for a split concurrent check).
        var current: [CheckTaskState] = []
        /// Combined outcome of each finished check, in order.
        var finished: [CheckOutcome] = []
    }

    /// What became of an arriving result.
    enum Acceptance: Sendable, Equatable {
        /// A new outcome of a current task: store it in `suiteRunID`, then acknowledge.
        case record(suiteRunID: String, CheckOutcome)
        /// The task already has this outcome (a resent result): store (a no-op), then acknowledge `duplicate`.
        case duplicate(suiteRunID: String, CheckOutcome)
        /// Not a current task: acknowledge `stale` at once and ignore.
        case stale(reason: String)
    }

    /// Something for the scheduler to do after planning.
    enum Dispatch: Sendable, Equatable {
        /// Send `assign` to the agent's session.
        case assign(agent: String, sessionID: UInt64, WireMessage.Assign)
        /// Run the task on the coordinator's host and feed its outcome back as a result of `ref`.
        case runLocally(TaskRef, CheckTask)
    }

    /// A lost attempt, after ``expire(now:)``.
    struct Loss: Sendable, Equatable {
        /// The attempt that was lost and the agent that held it (to send `cancel` if still connected).
        let ref: TaskRef
        let agent: String
        let reason: String
        /// Set when that was the last attempt: the `error` outcome to store.
        let gaveUp: (suiteRunID: String, outcome: CheckOutcome)?

        static func == (lhs: Loss, rhs: Loss) -> Bool {
            lhs.ref == rhs.ref && lhs.agent == rhs.agent && lhs.reason == rhs.reason
                && lhs.gaveUp?.suiteRunID == rhs.gaveUp?.suiteRunID && lhs.gaveUp?.outcome == rhs.gaveUp?.outcome
        }
    }

    /// The name written as `agent` of outcomes of checks the coordinator ran itself.
    static let localHost = "coordinator"
    /// Every check task id starts with this.
    static let taskPrefix = "check-"

    let configuration: Configuration
    /// Phases still to run, in order.
    var remainingPhases: [CheckPhase]
    var suite: OpenSuite?
    /// Next agent to take a whole check (position in the connected agents, advancing).
    private var rotation = 0

    /// - Parameter completedPhases: phases whose suite run completed earlier (a resumed collection): not run again.
    init(configuration: Configuration, completedPhases: Set<CheckPhase> = []) {
        self.configuration = configuration
        remainingPhases = configuration.plan.run.phases.filter { !completedPhases.contains($0) }
    }

    /// Whether a task id is a check task's (routing results, heartbeats and hellos).
    static func isCheckTask(_ ref: TaskRef) -> Bool { ref.taskID.hasPrefix(taskPrefix) }

    /// True while the `before` suite has not completed: no train job may be dispatched.
    var holdsTrainJobs: Bool { remainingPhases.first == .before }

    /// True while a suite is still to run or running (the coordinator may not drain or finish).
    var hasWork: Bool { !remainingPhases.isEmpty }

    /// Opens the suite run of `phase` (the next remaining one) and returns it to store. Nil if that phase is not
    /// next or a suite is already open.
    mutating func begin(_ phase: CheckPhase, id: String, now: Date) -> CheckSuiteRun? {
        guard suite == nil, remainingPhases.first == phase else { return nil }
        let plan = configuration.plan
        let run = CheckSuiteRun(id: id, collectionID: configuration.collectionID, phase: phase,
                                target: configuration.target, startedAt: now, disabled: plan.disabled,
                                settings: plan.settings)
        suite = OpenSuite(run: run, queue: plan.enabledChecks)
        return run
    }

    /// The check in progress, if any.
    var currentCheck: CheckKind? { suite?.current.first?.task.check }

    /// When the earliest lease or deadline of an assigned task runs out.
    var nextExpiry: Date? {
        suite?.current.compactMap { state -> Date? in
            if case .assigned(_, _, let lease, let deadline) = state.placement { min(lease, deadline) } else { nil }
        }.min()
    }

    // MARK: - Planning

    /// Starts the next check when the current one is finished, and places every pending task of the current check.
    /// `agents`: connected agents (name and session) in connection order. A check that needs agents waits while
    /// none is connected.
    mutating func plan(agents: [(name: String, sessionID: UInt64)], now: Date) -> [Dispatch] {
        guard var open = suite else { return [] }
        defer { suite = open }
        if open.current.isEmpty {
            guard let next = open.queue.first else { return [] }
            let local = next == .rollback && configuration.rollbackRunsLocally
            let needed = open.finished.isEmpty ? max(1, configuration.minAgents) : 1
            guard local || agents.count >= needed else { return [] }
            open.queue.removeFirst()
            let shares = next.isConcurrent ? min(configuration.maxShares, agents.count) : 1
            var plan = configuration.plan
            plan.disabled = CheckKind.allCases.filter { $0 != next }
            open.current = CheckTask.tasks(suiteRunID: open.run.id, phase: open.run.phase, plan: plan,
                                           concurrentShares: shares).map(CheckTaskState.init)
        }
        var dispatches: [Dispatch] = []
        for index in open.current.indices where open.current[index].placement == .pending {
            let state = open.current[index]
            if state.task.check == .rollback && configuration.rollbackRunsLocally {
                open.current[index].placement = .local
                dispatches.append(.runLocally(state.ref, state.task))
                continue
            }
            guard let agent = pickAgent(for: open.current, among: agents) else { break }
            let deadline = now.addingTimeInterval(
                state.task.settings.worstCaseSeconds(for: state.task.check) + configuration.leaseSeconds)
            open.current[index].placement = .assigned(
                agent: agent.name, sessionID: agent.sessionID,
                leaseUntil: now.addingTimeInterval(configuration.leaseSeconds), deadline: deadline)
            dispatches.append(.assign(agent: agent.name, sessionID: agent.sessionID, WireMessage.Assign(
                task: state.ref, kind: .check, leaseMS: max(1, Int((configuration.leaseSeconds * 1000).rounded())),
                timeoutMS: max(1, Int((state.task.settings.worstCaseSeconds(for: state.task.check) * 1000).rounded())),
                payload: state.task.wireValue)))
        }
        return dispatches
    }

    /// The agent with the fewest tasks of the current check (so shares land on distinct agents), ties broken by
    /// the rotation so whole checks are spread over the agents.
    private mutating func pickAgent(
        for tasks: [CheckTaskState], among agents: [(name: String, sessionID: UInt64)]
    ) -> (name: String, sessionID: UInt64)? {
        guard !agents.isEmpty else { return nil }
        let start = rotation % agents.count
        rotation = (start + 1) % agents.count
        let load = Dictionary(grouping: tasks.compactMap(\.agent), by: { $0 }).mapValues(\.count)
        return (0..<agents.count).map { agents[(start + $0) % agents.count] }
            .min { load[$0.name, default: 0] < load[$1.name, default: 0] }
    }
}
