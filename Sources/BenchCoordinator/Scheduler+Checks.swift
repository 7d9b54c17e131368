import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation

/// The suite in the scheduler's loop, result path, heartbeats and hellos: every decision is the
/// ``CheckSuiteBoard``'s; the actor performs them (logs, sends, runs local checks, commits the rows in the round's
/// transaction before the results are acknowledged). Check tasks never touch the job board.
extension Scheduler {
    /// True while the `before` suite has not completed: no train job is dispatched.
    var checksHoldTrainJobs: Bool { checks?.holdsTrainJobs ?? false }

    /// True while a suite is still to run (the collection may not drain).
    var checksPending: Bool { checks?.hasWork ?? false }

    /// A `result` of a check task (task id `check-...`): handled in the next round; acknowledged `stale` at once by a
    /// coordinator that runs no suite.
    func checkResult(_ session: AgentSession, _ result: WireMessage.TaskResult) {
        guard checks != nil else {
            logger.notice("late check result \(result.task) from \(session.name): this collection runs no suite "
                          + "(stale)")
            session.mailbox.send(.ack(.init(task: result.task, status: .stale)))
            return
        }
        checks?.receive(result, from: .init(agent: session.name, sessionID: session.id))
        signal()
    }

    /// The coordinator's own run of a check (the rollback script) ended.
    func localCheckFinished(_ ref: TaskRef, outcome: JSONValue) {
        checks?.receiveLocal(ref, outcome: outcome)
        signal()
    }

    /// A check task listed by a heartbeat, `started` or `progress`: renews its lease; returns the `cancel` to send
    /// when it is not this agent's current attempt.
    func checkAlive(_ ref: TaskRef, agent: String, now: Date) -> WireMessage? {
        guard checks != nil else { return .cancel(.init(task: ref, reason: "this collection runs no check suite")) }
        return checks?.alive(ref, agent: agent, now: now)
    }

    /// The check part of a hello: attempts to re-attach and cancel (added to the `welcome`); lost ones are closed
    /// in the next round.
    func reconcileChecks(agent: String, hello: WireMessage.Hello, now: Date)
        -> (reattached: [TaskRef], cancelled: [TaskRef])
    {
        guard let result = checks?.reconcile(agent: agent, hello: hello, now: now) else {
            return ([], hello.running.filter(CheckSuiteDriver.isCheckTask))
        }
        if result.lost { signal() }
        return (result.reattached, result.cancelled)
    }

    /// The suite's part of a round, at its start (``CheckSuiteBoard``): logs what the board decided and returns the
    /// round, whose writes commit in the round's transaction.
    func prepareCheckRound(now: Date) -> CheckSuiteBoard.Round {
        let complete = board.isComplete
        guard let round = checks?.round(now: now, running: phase == .running, jobsComplete: complete,
                                        newSuiteRunID: CheckTask.newSuiteRunID)
        else { return CheckSuiteBoard.Round() }
        log(round.notes)
        return round
    }

    /// After the round's commit (`changed`: per write, whether it changed the database; empty when nothing was
    /// written): sends the round's messages and acks, and places the check's pending tasks (only while running).
    func finishCheckRound(_ round: CheckSuiteBoard.Round, changed: [Bool]) {
        var outgoing = Outgoing()
        deliver(round.messages, into: &outgoing)
        deliver(CheckSuiteBoard.acknowledgements(of: round, changed: changed), into: &outgoing)
        if phase == .running, checks != nil {
            let connected = order.compactMap { name in sessions[name].map { (name: name, sessionID: $0.id) } }
            if let placement = checks?.place(agents: connected, now: clock.now()) {
                deliver(placement.messages, into: &outgoing)
                log(placement.notes)
                for run in placement.localRuns {
                    let runner = checks?.localRunner
                    Task {
                        let outcome = await Self.runLocally(run.task, runner: runner)
                        self.localCheckFinished(run.ref, outcome: outcome)
                    }
                }
            }
        }
        outgoing.send()
    }

    /// Sends the stale acks of a round that ends without a commit (the stop deadline).
    func sendUncommitted(_ round: CheckSuiteBoard.Round) {
        var outgoing = Outgoing()
        deliver(round.messages, into: &outgoing)
        outgoing.send()
    }

    /// Adds the board's messages to the round's outgoing ones; a message for a session that is gone is dropped.
    private func deliver(_ messages: [CheckSuiteBoard.Message], into outgoing: inout Outgoing) {
        for message in messages {
            switch message.recipient {
            case .session(let ref):
                guard let session = sessions[ref.agent], session.id == ref.sessionID else { continue }
                outgoing.add(message.message, to: session)
            case .agent(let name):
                guard let session = sessions[name] else { continue }
                outgoing.add(message.message, to: session)
            }
        }
    }

    private func log(_ notes: [CheckSuiteBoard.Note]) {
        for note in notes { logger.log(level: note.level, "\(note.text)") }
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
        return outcome.wireValue
    }
}
