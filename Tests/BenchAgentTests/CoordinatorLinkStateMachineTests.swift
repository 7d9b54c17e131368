@testable import BenchAgent
import BenchJSON
import BenchProtocol
import BenchWire
import Testing

@Suite("Agent session state machine (explicit time, no sleeping)")
struct CoordinatorLinkStateMachineTests {
    typealias Machine = CoordinatorLinkStateMachine<ContinuousClock.Instant>
    static let t0 = ContinuousClock.Instant.now
    static let task = TaskRef(taskID: "baseline-1-1-fr", attempt: 1)

    static func welcome(intervalMS: Int = 1_000, timeoutMS: Int = 4_000) -> WireMessage {
        .welcome(.init(agentID: "agent-1", collectionID: "c-1", heartbeatIntervalMS: intervalMS,
                       heartbeatTimeoutMS: timeoutMS, reattached: [], cancelled: []))
    }

    static func assign(_ task: TaskRef = task) -> WireMessage {
        .assign(.init(task: task, kind: .train, leaseMS: 30_000, timeoutMS: 60_000, payload: [:]))
    }

    static func established() -> Machine {
        var machine = Machine(now: t0, welcomeTimeout: .seconds(10))
        _ = machine.received(welcome(), now: t0)
        return machine
    }

    @Test("welcome establishes the session and takes the coordinator's heartbeat settings")
    func welcome() {
        var machine = Machine(now: Self.t0, welcomeTimeout: .seconds(10))
        guard case .established(let welcome) = machine.received(Self.welcome(intervalMS: 250, timeoutMS: 900),
                                                                 now: Self.t0) else {
            Issue.record("expected established")
            return
        }
        #expect(welcome.collectionID == "c-1")
        #expect(machine.state == .established)
        #expect(machine.wasWelcomed)
        #expect(machine.heartbeatInterval == .milliseconds(250))
        #expect(machine.heartbeatTimeout == .milliseconds(900))
    }

    @Test("reject ends the session; anything else before welcome is a protocol error")
    func beforeWelcome() {
        var rejected = Machine(now: Self.t0, welcomeTimeout: .seconds(10))
        let reject = WireMessage.Reject(code: .notAllowed, reason: "not on the allow-list")
        #expect(rejected.received(.reject(reject), now: Self.t0) == .rejected(reject))
        #expect(!rejected.wasWelcomed)
        #expect(rejected.nextDeadline == nil)

        var early = Machine(now: Self.t0, welcomeTimeout: .seconds(10))
        guard case .protocolError(let reason) = early.received(Self.assign(), now: Self.t0) else {
            Issue.record("expected a protocol error")
            return
        }
        #expect(reason.contains("assign"))
        // Once closed, nothing more is interpreted.
        #expect(early.received(Self.welcome(), now: Self.t0) == .none)
    }

    @Test("no welcome within the welcome timeout gives the coordinator up")
    func welcomeTimeout() {
        var machine = Machine(now: Self.t0, welcomeTimeout: .seconds(10))
        #expect(machine.nextDeadline == Self.t0 + .seconds(10))
        #expect(machine.timerFired(now: Self.t0 + .seconds(9)) == .none)
        guard case .giveUp(let reason) = machine.timerFired(now: Self.t0 + .seconds(10)) else {
            Issue.record("expected give up")
            return
        }
        #expect(reason.contains("no welcome"))
    }

    @Test("heartbeats are due every interval; silence past the timeout gives the coordinator up")
    func heartbeats() {
        var machine = Self.established()
        #expect(machine.nextDeadline == Self.t0 + .seconds(1))
        #expect(machine.timerFired(now: Self.t0 + .milliseconds(999)) == .none)
        #expect(machine.timerFired(now: Self.t0 + .seconds(1)) == .sendHeartbeat)
        #expect(machine.nextDeadline == Self.t0 + .seconds(2))
        #expect(machine.timerFired(now: Self.t0 + .seconds(2)) == .sendHeartbeat)
        #expect(machine.timerFired(now: Self.t0 + .seconds(3)) == .sendHeartbeat)
        // Nothing received since t0: at t0 + 4 s the timeout (4 s) is reached before the next heartbeat.
        #expect(machine.nextDeadline == Self.t0 + .seconds(4))
        guard case .giveUp(let reason) = machine.timerFired(now: Self.t0 + .seconds(4)) else {
            Issue.record("expected give up")
            return
        }
        #expect(reason.contains("heartbeat timeout"))
        #expect(machine.nextDeadline == nil)
    }

    @Test("any frame from the coordinator counts as a sign of life")
    func signOfLife() {
        var machine = Self.established()
        let ack = WireMessage.ack(.init(task: Self.task, status: .committed))
        #expect(machine.received(ack, now: Self.t0 + .seconds(3)) == .acknowledged(.init(task: Self.task,
                                                                                          status: .committed)))
        #expect(machine.timerFired(now: Self.t0 + .seconds(4)) == .sendHeartbeat)
        #expect(machine.timerFired(now: Self.t0 + .seconds(6)) == .sendHeartbeat)
        #expect(machine.nextDeadline == Self.t0 + .seconds(7))
    }

    @Test("established: assign runs, cancel stops, heartbeat is only a sign of life, bye closes")
    func established() {
        var machine = Self.established()
        #expect(machine.received(Self.assign(), now: Self.t0) == .run(.init(
            task: Self.task, kind: .train, leaseMS: 30_000, timeoutMS: 60_000, payload: [:])))
        let cancel = WireMessage.Cancel(task: Self.task, reason: "lease expired")
        #expect(machine.received(.cancel(cancel), now: Self.t0) == .cancel(cancel))
        #expect(machine.received(.heartbeat(.init(sentAtMS: 5)), now: Self.t0) == .none)
        #expect(machine.received(.bye(.init(reason: "replaced")), now: Self.t0) == .peerClosed(reason: "replaced"))
        #expect(machine.received(Self.assign(), now: Self.t0) == .none)
    }

    @Test("messages only an agent sends, or a second welcome, are protocol errors")
    func wrongDirection() {
        for message in [
            Self.welcome(), WireMessage.result(.init(task: Self.task, outcome: [:], finishedAt: .now())),
            WireMessage.hello(.init(agentID: "x", slots: 1)),
        ] {
            var machine = Self.established()
            guard case .protocolError = machine.received(message, now: Self.t0) else {
                Issue.record("expected a protocol error for \(message.type)")
                continue
            }
            #expect(machine.nextDeadline == nil)
        }
    }

    @Test("drain: assignments are ignored, acks and cancels still apply, bye follows once work settled")
    func drain() {
        var machine = Self.established()
        let settledEarly = machine.workSettled()
        #expect(!settledEarly)
        #expect(machine.received(.drain(.init(reason: "collection complete")), now: Self.t0)
            == .startDrain(reason: "collection complete"))
        #expect(machine.isDraining)
        guard case .ignore = machine.received(Self.assign(), now: Self.t0) else {
            Issue.record("an assign after drain must not run")
            return
        }
        #expect(machine.received(.drain(.init(reason: "again")), now: Self.t0) == .none)
        let ack = WireMessage.Ack(task: Self.task, status: .stale)
        #expect(machine.received(.ack(ack), now: Self.t0) == .acknowledged(ack))
        let settled = machine.workSettled()
        #expect(settled)
        #expect(machine.state == .closed(reason: "drained"))
        let settledTwice = machine.workSettled()
        #expect(!settledTwice)
    }

    @Test("how a session ended decides between exit, stop and retry")
    func reconnectDecisions() {
        func reject(_ code: RejectCode) -> SessionEnd { .rejected(.init(code: code, reason: "r")) }
        #expect(SessionEnd.drained.nextStep(welcomed: true, drainedAndIdle: true) == .finish)
        #expect(SessionEnd.cancelled.nextStep(welcomed: true, drainedAndIdle: false) == .cancelled)
        #expect(reject(.notAllowed).nextStep(welcomed: false, drainedAndIdle: false)
            == .stop(code: .rejected, rejectCode: .notAllowed, reason: "r"))
        #expect(reject(.versionMismatch).nextStep(welcomed: false, drainedAndIdle: false)
            == .stop(code: .rejected, rejectCode: .versionMismatch, reason: "r"))
        #expect(reject(.badHello).nextStep(welcomed: false, drainedAndIdle: false)
            == .stop(code: .rejected, rejectCode: .badHello, reason: "r"))
        // Unknown codes are treated like not_allowed.
        #expect(reject(RejectCode(rawValue: "maintenance")).nextStep(welcomed: false, drainedAndIdle: false)
            == .stop(code: .rejected, rejectCode: RejectCode(rawValue: "maintenance"), reason: "r"))
        #expect(reject(.duplicateAgent).nextStep(welcomed: false, drainedAndIdle: false) == .retry(resetBackoff: false))
        #expect(reject(.shuttingDown).nextStep(welcomed: false, drainedAndIdle: false) == .retry(resetBackoff: false))
        #expect(SessionEnd.lost(reason: "eof").nextStep(welcomed: true, drainedAndIdle: false)
            == .retry(resetBackoff: true))
        #expect(SessionEnd.lost(reason: "eof").nextStep(welcomed: false, drainedAndIdle: false)
            == .retry(resetBackoff: false))
        #expect(SessionEnd.connectFailed(reason: "refused").nextStep(welcomed: false, drainedAndIdle: false)
            == .retry(resetBackoff: false))
        // Drained with nothing left to deliver: a lost coordinator is no reason to keep trying.
        #expect(SessionEnd.connectFailed(reason: "refused").nextStep(welcomed: false, drainedAndIdle: true)
            == .finish)
        #expect(SessionEnd.closedByCoordinator(reason: "done").nextStep(welcomed: true, drainedAndIdle: true)
            == .finish)
        #expect(SessionEnd.incompatible(reason: "v2").nextStep(welcomed: false, drainedAndIdle: false)
            == .stop(code: .incompatibleProtocol, rejectCode: nil, reason: "v2"))
    }
}
