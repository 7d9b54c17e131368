@testable import BenchCoordinator
import BenchCore
import BenchStore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

/// The suite's state machine as the scheduler drives it, without network, database or actor: what each round
/// writes, whom it tells what, and when.
@Suite("CheckSuiteBoard: the suite's rounds, acks, retries and progress")
struct CheckSuiteBoardTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)
    let fixtures = CheckSuiteDriverTests()
    let agent1 = CheckSuiteBoard.SessionRef(agent: "agent-1", sessionID: 7)

    func board(run: CheckSuitePlacement = .before, enabled: [CheckKind] = [.health], maxAttempts: Int = 3)
        -> CheckSuiteBoard {
        CheckSuiteBoard(driver: fixtures.driver(run: run, enabled: enabled, maxAttempts: maxAttempts),
                        localRunner: nil)
    }

    /// The `assign`s of a placement, with their recipients.
    func assigns(_ placement: CheckSuiteBoard.Placement) -> [(to: CheckSuiteBoard.Recipient, WireMessage.Assign)] {
        placement.messages.compactMap { if case .assign(let assign) = $0.message { ($0.recipient, assign) } else { nil } }
    }

    func result(_ assign: WireMessage.Assign, agent: String, at time: Date) throws -> WireMessage.TaskResult {
        WireMessage.TaskResult(task: assign.task, outcome: fixtures.answer(try fixtures.task(assign), agent: agent,
                                                                           at: time),
                               finishedAt: WireTimestamp(time))
    }

    @Test("a before suite begins in the first running round, holds train jobs, and its check goes to an agent")
    func dispatch() throws {
        var board = board()
        #expect(board.holdsTrainJobs && board.hasWork)
        let stopping = board.round(now: t0, running: false, jobsComplete: false, newSuiteRunID: { "s-1" })
        #expect(stopping.writes.isEmpty, "no suite begins while the scheduler does not assign")
        let first = board.round(now: t0, running: true, jobsComplete: false, newSuiteRunID: { "s-1" })
        guard case .begin(let run) = first.writes.first, first.writes.count == 1 else {
            Issue.record("expected one begin row, got \(first.writes)")
            return
        }
        #expect(run.id == "s-1" && run.phase == .before)
        #expect(first.notes.contains { $0.text.contains("train jobs wait until it completes") })

        let waiting = board.place(agents: [], now: t0)
        #expect(waiting.messages.isEmpty)
        #expect(waiting.notes.map(\.text) == ["check suite before s-1 waits for an agent to connect (0 connected; "
                                              + "next: test_01_health_endpoint_response)"])
        #expect(board.place(agents: [], now: t0).notes.isEmpty, "the wait is said once")

        let placed = assigns(board.place(agents: [("agent-1", 7)], now: t0))
        #expect(placed.count == 1)
        #expect(placed.first?.to == .session(agent1))
        #expect(placed.first?.1.kind == .check)
        #expect(placed.first?.1.task.attempt == 1)
    }

    @Test("a result is a row of the next round, acknowledged after the commit: committed, or duplicate if stored")
    func result() throws {
        var board = board()
        _ = board.round(now: t0, running: true, jobsComplete: false, newSuiteRunID: { "s-1" })
        let assign = try #require(assigns(board.place(agents: [("agent-1", 7)], now: t0)).first?.1)
        board.receive(try result(assign, agent: "agent-1", at: t0 + 1), from: agent1)
        let round = board.round(now: t0 + 1, running: true, jobsComplete: false, newSuiteRunID: { "s-2" })
        guard case .record(let id, let outcome) = round.writes.first else {
            Issue.record("expected the outcome's row first, got \(round.writes)")
            return
        }
        #expect(id == "s-1" && outcome.status == .pass && outcome.agent == "agent-1")
        #expect(round.writes.last == .complete(suiteRunID: "s-1"), "the only check finished: the suite completes")
        #expect(round.acks == [CheckSuiteBoard.PendingAck(sender: agent1, ref: assign.task, write: 0)])
        #expect(round.messages.isEmpty, "nothing is acknowledged before the commit")
        #expect(!board.holdsTrainJobs && !board.hasWork)

        #expect(CheckSuiteBoard.acknowledgements(of: round, changed: [true, true])
                == [.init(recipient: .session(agent1), message: .ack(.init(task: assign.task, status: .committed)))])
        #expect(CheckSuiteBoard.acknowledgements(of: round, changed: [false, true])
                == [.init(recipient: .session(agent1), message: .ack(.init(task: assign.task, status: .duplicate)))])
        #expect(CheckSuiteBoard.acknowledgements(of: round, changed: []).isEmpty, "not committed: no ack")
    }

    @Test("a result of no current task is acknowledged stale at once and writes nothing")
    func stale() throws {
        var board = board()
        _ = board.round(now: t0, running: true, jobsComplete: false, newSuiteRunID: { "s-1" })
        let stranger = TaskRef(taskID: "check-s-0-health", attempt: 1)
        board.receive(WireMessage.TaskResult(task: stranger, outcome: .object([:]), finishedAt: WireTimestamp(t0)),
                      from: agent1)
        let round = board.round(now: t0, running: true, jobsComplete: false, newSuiteRunID: { "s-2" })
        #expect(round.writes.isEmpty && round.acks.isEmpty)
        #expect(round.messages == [.init(recipient: .session(agent1),
                                         message: .ack(.init(task: stranger, status: .stale)))])
    }

    @Test("a lost lease cancels the attempt on its agent and places attempt 2; after the last, an ERROR row")
    func retryAndGiveUp() throws {
        var board = board(maxAttempts: 2)
        _ = board.round(now: t0, running: true, jobsComplete: false, newSuiteRunID: { "s-1" })
        let first = try #require(assigns(board.place(agents: [("agent-1", 7)], now: t0)).first?.1)
        #expect(board.nextExpiry == t0 + 30)

        let lost = board.round(now: t0 + 30, running: true, jobsComplete: false, newSuiteRunID: { "s-2" })
        #expect(lost.writes.isEmpty)
        #expect(lost.messages == [.init(recipient: .agent("agent-1"), message: .cancel(.init(
            task: first.task, reason: "lease expired (no sign of life for 30 s)")))])
        #expect(lost.notes.contains { $0.text.contains("dispatched again as attempt 2") })
        let second = try #require(assigns(board.place(agents: [("agent-2", 8)], now: t0 + 30)).first)
        #expect(second.to == .session(.init(agent: "agent-2", sessionID: 8)))
        #expect(second.1.task == TaskRef(taskID: first.task.taskID, attempt: 2))

        let gaveUp = board.round(now: t0 + 60, running: true, jobsComplete: false, newSuiteRunID: { "s-3" })
        guard case .record(_, let outcome) = gaveUp.writes.first else {
            Issue.record("expected an ERROR row, got \(gaveUp.writes)")
            return
        }
        #expect(outcome.status == .error)
        #expect(outcome.reason?.contains("no result after 2 attempts") == true)
        #expect(gaveUp.writes.last == .complete(suiteRunID: "s-1"))
        #expect(gaveUp.notes.contains { $0.level == .warning && $0.text.contains("no attempts left") })
    }

    @Test("an attempt the reconnecting agent no longer has is lost in the next round")
    func lostOnHello() throws {
        var board = board()
        _ = board.round(now: t0, running: true, jobsComplete: false, newSuiteRunID: { "s-1" })
        let assign = try #require(assigns(board.place(agents: [("agent-1", 7)], now: t0)).first?.1)
        let hello = WireMessage.Hello(agentID: "agent-1", slots: 1, running: [], queuedResults: [])
        let reconciled = board.reconcile(agent: "agent-1", hello: hello, now: t0 + 1)
        #expect(reconciled.lost && reconciled.reattached.isEmpty)
        let round = board.round(now: t0 + 1, running: true, jobsComplete: false, newSuiteRunID: { "s-2" })
        #expect(round.messages.map(\.message) == [.cancel(.init(task: assign.task,
                                                                reason: "agent reconnected without it"))])
        #expect(try #require(assigns(board.place(agents: [("agent-1", 9)], now: t0 + 1)).first?.1).task.attempt == 2)
    }

    @Test("progress: the open suite's phase, finished and total checks, and the one running")
    func progress() throws {
        var board = board(run: .after, enabled: [.health, .errorHandling])
        #expect(board.progress == nil)
        let early = board.round(now: t0, running: true, jobsComplete: false, newSuiteRunID: { "s-1" })
        #expect(early.writes.isEmpty && board.progress == nil, "the after suite waits for the train jobs")
        _ = board.round(now: t0, running: true, jobsComplete: true, newSuiteRunID: { "s-1" })
        #expect(board.progress == CheckSuiteProgress(phase: .after, finished: 0, total: 2, running: nil))
        let assign = try #require(assigns(board.place(agents: [("agent-1", 7)], now: t0)).first?.1)
        #expect(board.progress == CheckSuiteProgress(phase: .after, finished: 0, total: 2, running: .health))
        board.receive(try result(assign, agent: "agent-1", at: t0), from: agent1)
        _ = board.round(now: t0, running: true, jobsComplete: true, newSuiteRunID: { "s-2" })
        #expect(board.progress == CheckSuiteProgress(phase: .after, finished: 1, total: 2, running: nil))
    }
}
