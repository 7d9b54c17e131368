import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation
import Logging

/// The coordinator's scheduler: one actor owning the job board and the connected agents, and one loop that turns
/// what happened (results, heartbeats, lost agents, free slots, passing time) into database transactions and then
/// into messages.
///
/// Each round of the loop is one transaction (group commit): every result received since the last round, lease
/// closures and renewals, and the new assignments it decides. Only after the commit does anything go out: `ack`s
/// for the results, `assign`s, `cancel`s. While one round commits (on the store's own thread), the actor keeps
/// accepting events for the next, so throughput grows with load without an fsync per result.
actor Scheduler {
    struct Settings: Sendable {
        let collectionID: String
        let plan: Plan
        let leaseSeconds: Double
        let jobGap: TimeInterval
        let dayGap: TimeInterval
        let heartbeatIntervalMS: Int
        let heartbeatTimeoutMS: Int
        let shutdownGrace: TimeInterval
        let drainGrace: TimeInterval
        /// Slots of agents connecting before this time wait until it (the job gap after the last stored activity).
        let resumeNotBefore: Date?
    }

    enum Finish: Sendable, Equatable {
        /// Every job is done; agents were drained.
        case completed
        /// Stopped on request (SIGINT/SIGTERM) before completion.
        case interrupted
    }

    enum Registration: Sendable, Equatable {
        case welcomed
        case rejected(RejectCode, reason: String)
    }

    enum Phase: Sendable, Equatable {
        case running
        /// Complete: no assignments; waiting for agents to leave until the deadline.
        case draining(deadline: Date)
        /// Stopping on request: committing what was received until the deadline.
        case stopping(deadline: Date)
        case finished
    }

    struct PendingResult: Sendable {
        let session: AgentSession
        let task: TaskKey
        /// What the round commits, its metric JSON encoded on arrival (while the previous round commits).
        let submission: ResultSubmission

        var metric: BaselineMetric { submission.metric }
    }

    struct PendingClosure: Sendable {
        let index: Int
        let closure: AttemptClosure
        /// The session whose harness-failure `result` asked for the closure: it gets the `ack` after the commit.
        var acknowledge: AgentSession? = nil
    }

    let settings: Settings
    let clock: any CoordinatorClock
    let writer: StoreWriter
    let logger: Logger
    let payloads: TrainPayload
    let configLabels: [[String: String]]
    /// Every job of the plan by id; immutable, so connections read it without entering the actor.
    let specsByID: [String: JobSpec]

    var board: JobBoard
    var agents: [String: AgentSlots] = [:]
    var sessions: [String: AgentSession] = [:]
    /// Connected agent names in connection order (round-robin for dispatch).
    var order: [String] = []
    var rotation = 0
    var results: [PendingResult] = []
    var closures: [PendingClosure] = []
    var renewals: [String: LeaseRenewal] = [:]
    /// What agents said about their trainers since the last round, written with the next one (Scheduler+Trainer).
    var trainerStates: [PendingTrainerState] = []
    /// Attempts of an earlier coordinator process no agent has reported yet (Scheduler+Trainer).
    var unreported: Set<TaskKey> = []
    var phase: Phase = .running
    var wakeWaiter: CheckedContinuation<Void, Never>?
    var signalled = false
    var failedMeasurements: Int
    var harnessErrors: Int
    let doneAtStart: Int
    let startedAt: Date
    /// What was last logged about waiting, so a condition is logged once, not every round.
    var loggedWait: String?
    /// The collection's optimization test suite (plan `checks.run`), nil when it runs none (Scheduler+Checks).
    var checks: CheckSuiteBoard?

    init(settings: Settings, board: JobBoard, writer: StoreWriter, clock: any CoordinatorClock, logger: Logger,
         failedMeasurements: Int, harnessErrors: Int, checks: CheckSuiteBoard? = nil) throws {
        self.checks = checks
        self.settings = settings
        self.board = board
        self.writer = writer
        self.clock = clock
        self.logger = logger
        self.payloads = TrainPayload(plan: settings.plan)
        self.configLabels = settings.plan.jobs.map(\.labels)
        self.specsByID = Dictionary(board.entries.map { ($0.spec.taskID, $0.spec) },
                                    uniquingKeysWith: { first, _ in first })
        self.failedMeasurements = failedMeasurements
        self.harnessErrors = harnessErrors
        self.doneAtStart = board.doneCount
        self.startedAt = clock.now()
    }

    var limits: DispatchPlanner.Limits {
        DispatchPlanner.Limits(maxInFlight: settings.plan.maxInFlight, dayGap: settings.dayGap,
                               leaseSeconds: settings.leaseSeconds)
    }

    // MARK: - The loop

    /// Runs rounds until the collection is complete and drained, or a stop was requested and received results are
    /// committed. Throws when a transaction fails or the database contradicts the board (nothing is acknowledged
    /// that was not committed).
    func run() async throws -> Finish {
        while true {
            let now = clock.now()
            let checkRound = prepareCheckRound(now: now)
            let taken = results
            results = []
            var takenClosures = closures
            closures = []
            for index in board.takeExpired(now: now) {
                let entry = board[index]
                let agent = entry.agent ?? "?"
                logger.notice("lease of \(entry.task) on agent \(agent) expired (no sign of life for "
                              + "\(Self.seconds(settings.leaseSeconds)) s)",
                              metadata: TaskLogMetadata.of(entry.task, agent: agent))
                takenClosures.append(PendingClosure(index: index, closure: AttemptClosure(
                    jobID: entry.spec.taskID, attempt: entry.attempt, agent: agent, kind: .expired,
                    reason: "lease expired")))
            }
            let takenTrainerStates = trainerStates
            trainerStates = []
            var round = CoordinatorRound(
                checks: checkRound.writes, trainerStates: takenTrainerStates.map(\.write),
                scheduling: SchedulingBatch(results: taken.map(\.submission), closures: takenClosures.map(\.closure),
                                            renewals: Array(renewals.values)))
            renewals = [:]
            var planned: [DispatchPlanner.Assignment] = []
            var wakeAt = board.nextLeaseCheck
            if phase == .running && !checksHoldTrainJobs {
                let plan = DispatchPlanner.plan(board: &board, agents: &agents, order: order, rotation: &rotation,
                                                now: now, limits: limits)
                planned = plan.assignments
                wakeAt = Self.earliest(wakeAt, plan.wakeAt)
                noteWaiting(plan, now: now)
            }
            round.scheduling.assignments = planned.map {
                AttemptAssignment(jobID: $0.task.jobID, attempt: $0.task.attempt, agent: $0.agent,
                                  leaseUntil: $0.leaseUntil)
            }
            if case .stopping(let deadline) = phase, round.isEmpty || now >= deadline {
                sendUncommitted(checkRound)
                closeAllSessions(reason: "coordinator shutting down")
                phase = .finished
                if !taken.isEmpty {
                    logger.warning("stop deadline reached with \(taken.count) results not committed; agents keep "
                                   + "them and resend them to the next coordinator")
                }
                return .interrupted
            }
            if round.isEmpty {
                finishCheckRound(checkRound, changed: [])
                if let finish = advanceWhenIdle(now: now) { return finish }
                wakeAt = Self.earliest(wakeAt, checks?.nextExpiry)
                if case .draining(let deadline) = phase { wakeAt = Self.earliest(wakeAt, deadline) }
                await idle(until: wakeAt)
                continue
            }
            let outcome: CoordinatorRoundOutcome
            if !taken.isEmpty { CrashPoint.reach(.resultBeforeCommit) }
            do {
                outcome = try await writer.commit(round, now: now)
            } catch {
                closeAllSessions(reason: "coordinator error: database write failed")
                phase = .finished
                throw error
            }
            finishCheckRound(checkRound, changed: outcome.checks)
            announce(takenTrainerStates)
            try applyOutcome(outcome.scheduling, results: taken, closures: takenClosures, assignments: planned,
                             now: now)
        }
    }

    /// With nothing to commit: enters draining once every job is done, and finishes when draining is over.
    private func advanceWhenIdle(now: Date) -> Finish? {
        switch phase {
        case .running where board.isComplete && !checksPending:
            logger.notice("collection complete: \(board.doneCount)/\(board.total) jobs done, "
                          + "\(failedMeasurements) failed measurements, \(harnessErrors) harness errors; "
                          + "draining \(sessions.count) agents")
            phase = .draining(deadline: now.addingTimeInterval(settings.drainGrace))
            for name in agents.keys { agents[name]?.draining = true }
            for session in sessions.values { session.mailbox.send(.drain(.init(reason: "collection complete"))) }
            return sessions.isEmpty ? finishDraining() : nil
        case .draining(let deadline):
            if sessions.isEmpty || now >= deadline { return finishDraining() }
            return nil
        default:
            return nil
        }
    }

    private func finishDraining() -> Finish {
        if !sessions.isEmpty {
            logger.notice("closing \(sessions.count) agent connections still open after the drain grace period")
        }
        closeAllSessions(reason: "collection complete")
        phase = .finished
        return .completed
    }

    func closeAllSessions(reason: String) {
        for session in sessions.values { session.close(reason: reason) }
        sessions = [:]
        agents = [:]
        order = []
    }

    /// Waits until an event signals new work or `deadline` passes.
    private func idle(until deadline: Date?) async {
        if signalled {
            signalled = false
            return
        }
        let timer = deadline.map { deadline in
            Task { [clock] in
                do {
                    try await clock.sleep(until: deadline)
                } catch {
                    return
                }
                self.signal()
            }
        }
        await withCheckedContinuation { continuation in wakeWaiter = continuation }
        timer?.cancel()
    }

    /// Wakes the loop (or makes its next idle wait return at once).
    func signal() {
        if let waiter = wakeWaiter {
            wakeWaiter = nil
            waiter.resume()
        } else {
            signalled = true
        }
    }

    /// Stops assigning, commits and acknowledges what was received (for at most the shutdown grace), says `bye`
    /// to every agent and ends the loop. Agents keep running their attempts and re-attach to the next coordinator.
    func requestStop() {
        switch phase {
        case .running, .draining:
            logger.notice("stopping: no new assignments; committing results already received (at most "
                          + "\(Self.seconds(settings.shutdownGrace)) s)")
            phase = .stopping(deadline: clock.now().addingTimeInterval(settings.shutdownGrace))
            for name in agents.keys { agents[name]?.draining = true }
            signal()
        case .stopping, .finished:
            break
        }
    }
}
