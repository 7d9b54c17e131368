import BenchCore
import BenchStore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Logging

/// The optimization test suite of a collection (plan `checks.run`) as the scheduler runs it: a value-type state
/// machine the scheduler actor drives, as it drives ``JobBoard``. It owns the suite's state (the
/// ``CheckSuiteDriver``, results and lost attempts waiting for the next round, what was last said about waiting)
/// and every decision; the actor only performs what it returns: rows to commit in the round's transaction,
/// messages to send (before or after that commit), checks to run on this host, lines to log.
struct CheckSuiteBoard: Sendable {
    /// An agent's session (name and connection), to which a message is addressed.
    struct SessionRef: Sendable, Hashable {
        let agent: String
        let sessionID: UInt64
    }

    /// Where a message goes.
    enum Recipient: Sendable, Hashable {
        /// This session only (gone with it: a reconnected agent does not get it).
        case session(SessionRef)
        /// Whichever session the agent has now.
        case agent(String)
    }

    /// A message for an agent.
    struct Message: Sendable, Equatable {
        let recipient: Recipient
        let message: WireMessage
    }

    /// A line to log.
    struct Note: Sendable, Equatable {
        let level: Logger.Level
        let text: String
    }

    /// A check result waiting for the next round: from an agent's session, or from the coordinator's own run of the
    /// rollback check (no session).
    struct PendingResult: Sendable {
        let sender: SessionRef?
        let ref: TaskRef
        let agent: String
        let outcome: JSONValue
    }

    /// An `ack` owed once the round's row `write` is committed: `committed` if it changed the database, else
    /// `duplicate`.
    struct PendingAck: Sendable, Equatable {
        let sender: SessionRef
        let ref: TaskRef
        let write: Int
    }

    /// The suite's part of one scheduler round.
    struct Round: Sendable, Equatable {
        /// Rows to commit in the round's transaction, in order.
        var writes: [CheckSuiteWrite] = []
        /// Acks to send after the commit.
        var acks: [PendingAck] = []
        /// Messages that need no write (`stale` acks, `cancel`s of lost attempts): sent whatever the commit.
        var messages: [Message] = []
        var notes: [Note] = []
    }

    /// What to do to place the check's pending tasks.
    struct Placement: Sendable, Equatable {
        /// `assign`s to send.
        var messages: [Message] = []
        /// Tasks to run on this host; their outcomes come back through ``receiveLocal(_:outcome:)``.
        var localRuns: [LocalRun] = []
        var notes: [Note] = []
    }

    /// A check task the coordinator runs itself.
    struct LocalRun: Sendable, Equatable {
        let ref: TaskRef
        let task: CheckTask
    }

    private(set) var driver: CheckSuiteDriver
    let localRunner: LocalCheckRunner?
    private(set) var results: [PendingResult] = []
    /// Attempts an agent's hello showed lost, closed in the next round.
    private(set) var lostOnHello: [CheckSuiteDriver.Loss] = []
    private var loggedWait: String?

    init(driver: CheckSuiteDriver, localRunner: LocalCheckRunner?) {
        self.driver = driver
        self.localRunner = localRunner
    }

    /// True while the `before` suite has not completed: no train job may be dispatched.
    var holdsTrainJobs: Bool { driver.holdsTrainJobs }

    /// True while a suite is still to run (the collection may not drain).
    var hasWork: Bool { driver.hasWork }

    /// When the earliest lease or deadline of an assigned check task runs out.
    var nextExpiry: Date? { driver.nextExpiry }

    /// The open suite run's figures, nil while no suite runs.
    var progress: CheckSuiteProgress? { driver.progress }

    // MARK: - Events

    /// An agent's `result` of a check task, handled in the next round.
    mutating func receive(_ result: WireMessage.TaskResult, from sender: SessionRef) {
        results.append(PendingResult(sender: sender, ref: result.task, agent: sender.agent, outcome: result.outcome))
    }

    /// The coordinator's own run of a check (the rollback script) ended.
    mutating func receiveLocal(_ ref: TaskRef, outcome: JSONValue) {
        results.append(PendingResult(sender: nil, ref: ref, agent: CheckSuiteDriver.localHost, outcome: outcome))
    }

    /// A check task listed by a heartbeat, `started` or `progress`: renews its lease; returns the `cancel` to send
    /// when it is not this agent's current attempt.
    mutating func alive(_ ref: TaskRef, agent: String, now: Date) -> WireMessage? {
        switch driver.alive(ref, agent: agent, now: now) {
        case .renewed, .finished:
            return nil
        case .notCurrent(let reason):
            return .cancel(.init(task: ref, reason: reason))
        }
    }

    /// The check part of a hello: attempts to re-attach and to cancel (for the `welcome`); those the agent no
    /// longer has are lost, closed in the next round (`true` when there are such).
    mutating func reconcile(agent: String, hello: WireMessage.Hello, now: Date)
        -> (reattached: [TaskRef], cancelled: [TaskRef], lost: Bool)
    {
        let running = hello.running.filter(CheckSuiteDriver.isCheckTask)
        let result = driver.reconcile(agent: agent, running: running, queued: hello.queuedResults, now: now)
        lostOnHello.append(contentsOf: result.losses)
        return (result.reattached, result.cancelled, !result.losses.isEmpty)
    }

    // MARK: - Rounds

    /// The suite's part of a round, at its start: takes results and lost attempts, finishes checks and suites, and
    /// begins the next suite run (`running`: the scheduler still assigns; `jobsComplete`: every train job is done,
    /// so the `after` suite may begin). Its writes commit in the round's transaction; then
    /// ``acknowledgements(of:changed:)`` and ``place(agents:now:)``.
    mutating func round(now: Date, running: Bool, jobsComplete: Bool, newSuiteRunID: () -> String) -> Round {
        var round = Round()
        guard driver.hasWork || !results.isEmpty else { return round }
        let taken = results
        results = []
        for pending in taken {
            switch driver.accept(pending.ref, agent: pending.agent, outcome: pending.outcome, now: now) {
            case .record(let id, let outcome), .duplicate(let id, let outcome):
                round.notes.append(Note(level: .info, text: "check result \(pending.ref) from \(pending.agent): "
                                        + "\(outcome.status.rawValue) "
                                        + "(\(String(format: "%.2f", outcome.durationSeconds)) s)"))
                if let sender = pending.sender {
                    round.acks.append(PendingAck(sender: sender, ref: pending.ref, write: round.writes.count))
                }
                round.writes.append(.record(suiteRunID: id, outcome))
            case .stale(let reason):
                round.notes.append(Note(level: .notice, text: "late check result \(pending.ref) from "
                                        + "\(pending.agent) ignored (stale): \(reason)"))
                if let sender = pending.sender {
                    round.messages.append(Message(recipient: .session(sender),
                                                  message: .ack(.init(task: pending.ref, status: .stale))))
                }
            }
        }
        let losses = lostOnHello + driver.expire(now: now)
        lostOnHello = []
        for loss in losses {
            if let (id, outcome) = loss.gaveUp {
                round.notes.append(Note(level: .warning, text: "check task \(loss.ref) on \(loss.agent) lost "
                                        + "(\(loss.reason)); no attempts left, recorded as ERROR"))
                round.writes.append(.record(suiteRunID: id, outcome))
            } else {
                round.notes.append(Note(level: .notice, text: "check task \(loss.ref) on \(loss.agent) lost "
                                        + "(\(loss.reason)); dispatched again as attempt \(loss.ref.attempt + 1)"))
            }
            round.messages.append(Message(recipient: .agent(loss.agent),
                                          message: .cancel(.init(task: loss.ref, reason: loss.reason))))
        }
        advance(&round)
        if running, driver.suite == nil, let next = driver.remainingPhases.first, next == .before || jobsComplete,
           let run = driver.begin(next, id: newSuiteRunID(), now: now) {
            let names = driver.suite?.queue.map(\.rawValue).joined(separator: ", ") ?? ""
            round.notes.append(Note(level: .notice, text: "check suite \(next.rawValue) \(run.id) started: "
                                    + (names.isEmpty ? "no checks" : names)
                                    + (next == .before ? "; train jobs wait until it completes" : "")))
            round.writes.append(.begin(run))
            advance(&round)
        }
        return round
    }

    /// Finished checks and suites: their log lines and the suite's completion row.
    private mutating func advance(_ round: inout Round) {
        for step in driver.advance() {
            switch step {
            case .checkFinished(let run, let outcome, let position, let count):
                round.notes.append(Note(level: .notice, text: "check suite \(run.phase.rawValue) \(run.id): "
                                        + "\(outcome.testName) \(outcome.status.rawValue)"
                                        + (outcome.reason.map { " (\($0.prefix(200)))" } ?? "")
                                        + " [\(position)/\(count)]"))
            case .suiteCompleted(let run, let outcomes):
                let passed = outcomes.filter { $0.status == .pass }.count
                let failed = outcomes.filter { $0.status == .fail }.count
                round.notes.append(Note(level: .notice, text: "check suite \(run.phase.rawValue) \(run.id) "
                                        + "complete: \(passed) passed, \(failed) failed, "
                                        + "\(outcomes.count - passed - failed) errors"))
                round.writes.append(.complete(suiteRunID: run.id))
            }
        }
    }

    /// The acks a round owes once its writes are committed (`changed`: per write, whether it changed the database).
    static func acknowledgements(of round: Round, changed: [Bool]) -> [Message] {
        round.acks.filter { $0.write < changed.count }.map { ack in
            Message(recipient: .session(ack.sender),
                    message: .ack(.init(task: ack.ref, status: changed[ack.write] ? .committed : .duplicate)))
        }
    }

    /// Places the pending tasks of the check in progress on `agents` (connected, in connection order) or on this
    /// host, and says (once) when the check waits for agents.
    mutating func place(agents: [(name: String, sessionID: UInt64)], now: Date) -> Placement {
        var placement = Placement()
        guard driver.suite != nil else { return placement }
        let dispatches = driver.plan(agents: agents, now: now)
        for dispatch in dispatches {
            switch dispatch {
            case .assign(let agent, let sessionID, let assignment):
                placement.messages.append(Message(recipient: .session(SessionRef(agent: agent, sessionID: sessionID)),
                                                  message: .assign(assignment)))
                placement.notes.append(Note(level: .info, text: "assigned check task \(assignment.task) to \(agent)"))
            case .runLocally(let ref, let task):
                placement.localRuns.append(LocalRun(ref: ref, task: task))
                placement.notes.append(Note(level: .info, text: "running check task \(ref) on the coordinator's "
                                            + "host"))
            }
        }
        var wait: String?
        if let suite = driver.suite, dispatches.isEmpty,
           suite.current.contains(where: { $0.placement == .pending })
            || (suite.current.isEmpty && !suite.queue.isEmpty) {
            let check = suite.current.first?.task.check ?? suite.queue.first
            let needed = suite.finished.isEmpty ? max(1, driver.configuration.minAgents) : 1
            wait = "check suite \(suite.run.phase.rawValue) \(suite.run.id) waits for "
                + (needed == 1 ? "an agent" : "\(needed) agents") + " to connect (\(agents.count) connected; "
                + "next: \(check?.seedTestName ?? "?"))"
        }
        if let wait, wait != loggedWait { placement.notes.append(Note(level: .notice, text: wait)) }
        loggedWait = wait
        return placement
    }
}
