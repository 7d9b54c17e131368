import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation

/// Hooks of the suite in the scheduler's loop, result path, heartbeats and hellos. Check tasks never touch the job
/// board; their rows are written by ``CheckStoreWriter`` before their results are acknowledged.
extension Scheduler {
    /// True while the `before` suite has not completed: no train job is dispatched.
    var checksHoldTrainJobs: Bool { checks?.driver.holdsTrainJobs ?? false }

    /// True while a suite is still to run (the collection may not drain).
    var checksPending: Bool { checks?.driver.hasWork ?? false }

    /// A `result` of a check task (task id `check-...`): handled in the next round; acknowledged `stale` at once by a
    /// coordinator that runs no suite.
    func checkResult(_ session: AgentSession, _ result: WireMessage.TaskResult) {
        guard checks != nil else {
            logger.notice("late check result \(result.task) from \(session.name): this collection runs no suite "
                          + "(stale)")
            session.mailbox.send(.ack(.init(task: result.task, status: .stale)))
            return
        }
        checks?.results.append(.init(session: session, ref: result.task, agent: session.name,
                                     outcome: result.outcome))
        signal()
    }

    /// The coordinator's own run of a check (the rollback script) ended.
    func localCheckFinished(_ ref: TaskRef, outcome: JSONValue) {
        checks?.results.append(.init(session: nil, ref: ref, agent: CheckSuiteDriver.localHost, outcome: outcome))
        signal()
    }

    /// A check task listed by a heartbeat, `started` or `progress`: renews its lease; returns the `cancel` to send
    /// when it is not this agent's current attempt.
    func checkAlive(_ ref: TaskRef, agent: String, now: Date) -> WireMessage? {
        switch checks?.driver.alive(ref, agent: agent, now: now) {
        case .renewed, .finished:
            return nil
        case .notCurrent(let reason):
            return .cancel(.init(task: ref, reason: reason))
        case nil:
            return .cancel(.init(task: ref, reason: "this collection runs no check suite"))
        }
    }

    /// The check part of a hello: attempts to re-attach and cancel (added to the `welcome`); lost ones are closed.
    func reconcileChecks(agent: String, hello: WireMessage.Hello, now: Date)
        -> (reattached: [TaskRef], cancelled: [TaskRef])
    {
        let running = hello.running.filter(CheckSuiteDriver.isCheckTask)
        guard checks != nil else { return ([], running) }
        guard let result = checks?.driver.reconcile(agent: agent, running: running, queued: hello.queuedResults,
                                                    now: now)
        else { return ([], running) }
        if !result.losses.isEmpty {
            checks?.lostOnHello.append(contentsOf: result.losses)
            signal()
        }
        return (result.reattached, result.cancelled)
    }

    /// One round of the suite, at the start of each scheduler round: takes results and lost attempts, begins and
    /// finishes suite runs, writes their rows, acknowledges what was written, and places the check's pending tasks
    /// (only while running). Returns when the earliest check lease runs out.
    func checkRound(now: Date) async throws -> Date? {
        guard let writer = checks?.writer, checks?.driver.hasWork == true || checks?.results.isEmpty == false
        else { return nil }
        var operations: [CheckStoreWriter.Operation] = []
        var acks: [(session: AgentSession, ref: TaskRef, operation: Int)] = []
        var outgoing = Outgoing()
        let taken = checks?.results ?? []
        checks?.results = []
        for pending in taken {
            switch checks?.driver.accept(pending.ref, agent: pending.agent, outcome: pending.outcome, now: now) {
            case .record(let id, let outcome), .duplicate(let id, let outcome):
                logger.info("check result \(pending.ref) from \(pending.agent): \(outcome.status.rawValue) "
                            + "(\(String(format: "%.2f", outcome.durationSeconds)) s)")
                if let session = pending.session { acks.append((session, pending.ref, operations.count)) }
                operations.append(.record(suiteRunID: id, outcome))
            case .stale(let reason):
                logger.notice("late check result \(pending.ref) from \(pending.agent) ignored (stale): \(reason)")
                if let session = pending.session {
                    outgoing.add(.ack(.init(task: pending.ref, status: .stale)), to: session)
                }
            case nil:
                break
            }
        }
        let losses = (checks?.lostOnHello ?? []) + (checks?.driver.expire(now: now) ?? [])
        checks?.lostOnHello = []
        for loss in losses {
            if let (id, outcome) = loss.gaveUp {
                logger.warning("check task \(loss.ref) on \(loss.agent) lost (\(loss.reason)); no attempts left, "
                               + "recorded as ERROR")
                operations.append(.record(suiteRunID: id, outcome))
            } else {
                logger.notice("check task \(loss.ref) on \(loss.agent) lost (\(loss.reason)); dispatched again as "
                              + "attempt \(loss.ref.attempt + 1)")
            }
            if let session = sessions[loss.agent] {
                outgoing.add(.cancel(.init(task: loss.ref, reason: loss.reason)), to: session)
            }
        }
        operations += advanceChecks()
        if phase == .running, checks?.driver.suite == nil, let next = checks?.driver.remainingPhases.first,
           next == .before || board.isComplete,
           let run = checks?.driver.begin(next, id: CheckTask.newSuiteRunID(), now: now) {
            let names = checks?.driver.suite?.queue.map(\.rawValue).joined(separator: ", ") ?? ""
            logger.notice("check suite \(next.rawValue) \(run.id) started: \(names.isEmpty ? "no checks" : names)"
                          + (next == .before ? "; train jobs wait until it completes" : ""))
            operations.append(.begin(run))
            operations += advanceChecks()
        }
        var changed: [Bool] = []
        do {
            // Nothing to write in most rounds (between suites): no hop to the writer's thread then.
            if !operations.isEmpty { changed = try await writer.apply(operations, now: now) }
        } catch {
            closeAllSessions(reason: "coordinator error: database write failed")
            phase = .finished
            throw error
        }
        for ack in acks where ack.operation < changed.count {
            outgoing.add(.ack(.init(task: ack.ref, status: changed[ack.operation] ? .committed : .duplicate)),
                         to: ack.session)
        }
        if phase == .running { dispatchChecks(outgoing: &outgoing) }
        outgoing.send()
        return checks?.driver.nextExpiry
    }

    /// Finished checks and suites: their log lines and the suite's completion row.
    private func advanceChecks() -> [CheckStoreWriter.Operation] {
        var operations: [CheckStoreWriter.Operation] = []
        for step in checks?.driver.advance() ?? [] {
            switch step {
            case .checkFinished(let run, let outcome, let position, let count):
                logger.notice("check suite \(run.phase.rawValue) \(run.id): \(outcome.testName) "
                              + "\(outcome.status.rawValue)" + (outcome.reason.map { " (\($0.prefix(200)))" } ?? "")
                              + " [\(position)/\(count)]")
            case .suiteCompleted(let run, let outcomes):
                let passed = outcomes.filter { $0.status == .pass }.count
                let failed = outcomes.filter { $0.status == .fail }.count
                logger.notice("check suite \(run.phase.rawValue) \(run.id) complete: \(passed) passed, \(failed) "
                              + "failed, \(outcomes.count - passed - failed) errors")
                operations.append(.complete(suiteRunID: run.id))
            }
        }
        return operations
    }

    /// Places the pending tasks of the check in progress on connected agents (or runs them here).
    private func dispatchChecks(outgoing: inout Outgoing) {
        guard checks?.driver.suite != nil else { return }
        let connected = order.compactMap { name in sessions[name].map { (name: name, sessionID: $0.id) } }
        let dispatches = checks?.driver.plan(agents: connected, now: clock.now()) ?? []
        for dispatch in dispatches {
            switch dispatch {
            case .assign(let agent, let sessionID, let assignment):
                guard let session = sessions[agent], session.id == sessionID else { continue }
                outgoing.add(.assign(assignment), to: session)
                logger.info("assigned check task \(assignment.task) to \(agent)")
            case .runLocally(let ref, let task):
                logger.info("running check task \(ref) on the coordinator's host")
                let runner = checks?.localRunner
                Task {
                    let outcome = await Self.runLocally(task, runner: runner)
                    self.localCheckFinished(ref, outcome: outcome)
                }
            }
        }
        var wait: String?
        if let suite = checks?.driver.suite, dispatches.isEmpty,
           suite.current.contains(where: { $0.placement == .pending })
            || (suite.current.isEmpty && !suite.queue.isEmpty) {
            let check = suite.current.first?.task.check ?? suite.queue.first
            let needed = suite.finished.isEmpty ? max(1, checks?.driver.configuration.minAgents ?? 1) : 1
            wait = "check suite \(suite.run.phase.rawValue) \(suite.run.id) waits for "
                + (needed == 1 ? "an agent" : "\(needed) agents") + " to connect (\(connected.count) connected; "
                + "next: \(check?.seedTestName ?? "?"))"
        }
        if let wait, wait != checks?.loggedWait { logger.notice("\(wait)") }
        checks?.loggedWait = wait
    }

    /// Runs a check on this host; any error but cancellation is an `error` outcome.
    private static func runLocally(_ task: CheckTask, runner: LocalCheckRunner?) async -> JSONValue {
        let outcome: CheckOutcome
        do {
            guard let runner else {
                throw CoordinatorError(.configuration, operation: "run \(task.check.rawValue)",
                                       reason: "no local check runner")
            }
            outcome = try await runner(task)
        } catch {
            outcome = CheckOutcome(check: task.check, status: .error, durationSeconds: 0, startedAt: Date(),
                                   reason: "the coordinator could not run the check: \(error)",
                                   agent: CheckSuiteDriver.localHost)
        }
        return CheckSuiteDriver.json(outcome)
    }
}
