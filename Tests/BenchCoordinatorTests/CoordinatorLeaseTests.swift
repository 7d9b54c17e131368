@testable import BenchCoordinator
import Clocks
import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation
import Testing

/// Leases, expiry, re-attachment and fencing, with a manual clock: time passes only when the test advances it.
@Suite("Coordinator: leases, re-attach and fencing")
struct CoordinatorLeaseTests {
    static let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])],
                           jobGapSeconds: 0, dayGapSeconds: 0, maxAttempts: 3, maxInFlight: 64)

    static func harness(clock: ManualClock, certificates: TestCertificates? = nil, database: String? = nil)
        async throws -> CoordinatorHarness
    {
        try await CoordinatorHarness(plan: plan, certificates: certificates, clock: clock, database: database) {
            $0.leaseSeconds = 30
            $0.heartbeatIntervalMS = 5_000
            $0.heartbeatTimeoutMS = 600_000
        }
    }

    @Test("heartbeats keep a lease; once the agent is gone past its lease, attempt 2 runs elsewhere")
    func expiryRedispatches() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_750_000_000))
        let harness = try await Self.harness(clock: clock)
        let lazy = try await harness.agent("agent-1", slots: 1)
        let assign = try await lazy.assign()
        #expect(assign.leaseMS == 30_000)
        #expect(assign.task == TaskRef(taskID: "baseline-1-1-fr", attempt: 1))
        // A heartbeat at 20 s renews the lease to 50 s; then the agent dies.
        clock.advance(by: 20)
        lazy.send(.heartbeat(.init(sentAtMS: 20_000, running: [assign.task])))
        #expect(await harness.logs.waitFor("renewed lease of \(assign.task)"))
        lazy.kill()
        #expect(await harness.logs.waitFor("agent agent-1 disconnected"))
        // At 45 s the attempt is still its own: a new agent gets the other job, not a retry.
        clock.advance(by: 25)
        let busy = try await harness.agent("agent-2", slots: 1)
        let other = try await busy.assign()
        #expect(other.task == TaskRef(taskID: "baseline-1-1-de", attempt: 1))
        // At 51 s the lease has ended: the job is re-queued and goes to the free slot as attempt 2.
        clock.advance(by: 6)
        #expect(await harness.logs.waitFor("\(assign.task) of agent agent-1 is lost (lease expired)"))
        busy.send(try resultMessage(other.task))
        let retry = try await busy.assign()
        #expect(retry.task == TaskRef(taskID: assign.task.taskID, attempt: 2))
        // The dead agent comes back with its result in the outbox: kept for audit, acknowledged stale.
        let back = try await harness.agent("agent-1", slots: 1, queued: [assign.task])
        let welcome = try await back.welcome()
        #expect(welcome.reattached.isEmpty && welcome.cancelled.isEmpty)
        back.send(try resultMessage(assign.task))
        #expect(try await back.ack() == .init(task: assign.task, status: .stale))
        busy.send(try resultMessage(retry.task))
        try await busy.leaveAfterDrain()
        try await back.leaveAfterDrain()
        let status = try await harness.result()
        #expect(status.done == 2)
        #expect(status.staleResults == 1)
        #expect(status.redispatched == 1)
        let store = try harness.store()
        let collection = try #require(try store.currentCollection())
        let metric = try #require(try store.countedMetrics(collectionID: collection.id).first)
        #expect(metric.jobID == assign.task.taskID)
        #expect(metric.agent == "agent-2")
        #expect(metric.attempt == 2)
    }

    @Test("a connected agent that stops listing its attempt gets cancel when the lease ends; the job returns")
    func expiryCancelsConnectedAgent() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_750_000_000))
        let harness = try await Self.harness(clock: clock)
        let agent = try await harness.agent("agent-1", slots: 1)
        let assign = try await agent.assign()
        clock.advance(by: 31)
        let cancel = try await agent.next { if case .cancel(let cancel) = $0 { cancel } else { nil } }
        #expect(cancel == .init(task: assign.task, reason: "lease expired"))
        // Its slot is free again; the re-queued job is the lowest pending one, as attempt 2.
        let again = try await agent.assign()
        #expect(again.task == TaskRef(taskID: assign.task.taskID, attempt: 2))
        harness.task.cancel()
        _ = try? await harness.result()
    }

    @Test("the coordinator sends heartbeats and closes a silent connection after the timeout; leases keep running")
    func heartbeatTimeout() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_750_000_000))
        let ticks = TestClock<Duration>()
        let harness = try await CoordinatorHarness(plan: Self.plan, clock: clock, monotonicClock: MonotonicClock(ticks)) {
            $0.leaseSeconds = 30
            $0.heartbeatIntervalMS = 1_000
            $0.heartbeatTimeoutMS = 3_000
        }
        let agent = try await harness.agent("agent-1", slots: 1)
        let welcome = try await agent.welcome()
        #expect(welcome.heartbeatIntervalMS == 1_000)
        #expect(welcome.heartbeatTimeoutMS == 3_000)
        let assign = try await agent.assign()
        await ticks.advance(by: .seconds(1))
        _ = try await agent.next { if case .heartbeat(let beat) = $0 { beat } else { nil } }
        await ticks.advance(by: .seconds(3))
        let last = try await agent.closed()
        #expect(last.last == .bye(.init(reason: "heartbeat timeout")))
        #expect(!last.contains { if case .cancel = $0 { true } else { false } })
        #expect(await harness.logs.waitFor("its 1 attempts keep their leases"))
        let store = try harness.store()
        let collection = try #require(try store.currentCollection())
        #expect(try store.assignedAttempts(collectionID: collection.id, agent: "agent-1").map(\.attempt)
                == [assign.task.attempt])
        harness.task.cancel()
        _ = try? await harness.result()
    }

    @Test("a timeout that is not a multiple of the interval closes at the timeout, logged as such, not as an error")
    func heartbeatTimeoutBetweenHeartbeats() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_750_000_000))
        let ticks = TestClock<Duration>()
        let harness = try await CoordinatorHarness(plan: Self.plan, clock: clock, monotonicClock: MonotonicClock(ticks)) {
            $0.heartbeatIntervalMS = 5_000
            $0.heartbeatTimeoutMS = 7_000
        }
        let agent = try await harness.agent("agent-1", slots: 1)
        _ = try await agent.welcome()
        _ = try await agent.assign()
        await ticks.advance(by: .seconds(5))
        _ = try await agent.next { if case .heartbeat(let beat) = $0 { beat } else { nil } }
        // 7 s after the hello, 2 s before the next heartbeat is due: the silent agent is closed now.
        await ticks.advance(by: .seconds(2))
        let last = try await agent.closed()
        #expect(last.last == .bye(.init(reason: "heartbeat timeout")))
        #expect(await harness.logs.waitFor("nothing received for 7000 ms"))
        #expect(await harness.logs.waitFor("agent agent-1 disconnected (heartbeat timeout)"))
        #expect(!harness.logs.lines.contains { $0.contains("protocol error") }, "\(harness.logs.lines)")
        harness.task.cancel()
        _ = try? await harness.result()
    }

    @Test("a reconnecting agent re-attaches attempts it still runs, drops others, and loses unmentioned ones")
    func reattach() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_750_000_000))
        let harness = try await Self.harness(clock: clock)
        let agent = try await harness.agent("agent-1", slots: 2)
        let first = try await agent.assign()
        let second = try await agent.assign()
        agent.kill()
        #expect(await harness.logs.waitFor("agent agent-1 disconnected"))
        // It comes back running the first, not the second, and with an attempt that was never its own.
        let stranger = TaskRef(taskID: "baseline-1-1-de", attempt: 7)
        let back = try await harness.agent("agent-1", slots: 2, running: [first.task, stranger])
        let welcome = try await back.welcome()
        #expect(welcome.reattached == [first.task])
        #expect(welcome.cancelled == [stranger])
        // The second attempt is closed as a harness failure and comes back as attempt 2, to this agent's free slot.
        let again = try await back.assign()
        #expect(again.task == TaskRef(taskID: second.task.taskID, attempt: 2))
        #expect(await harness.logs.waitFor("reconnected without \(second.task)"))
        // The re-attached attempt finishes normally and counts.
        back.send(try resultMessage(first.task))
        #expect(try await back.ack() == .init(task: first.task, status: .committed))
        harness.task.cancel()
        _ = try? await harness.result()
    }

    @Test("a result for an attempt never assigned to the agent is answered ack refused with the reason, not counted")
    func notYours() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_750_000_000))
        let harness = try await Self.harness(clock: clock)
        let owner = try await harness.agent("agent-1", slots: 1)
        let assign = try await owner.assign()
        let thief = try await harness.agent("agent-2", slots: 1)
        let theirs = try await thief.assign()
        thief.send(try resultMessage(assign.task))
        let refusal = try await thief.ack()
        #expect(refusal.task == assign.task)
        #expect(refusal.status == .refused)
        #expect(refusal.reason?.contains("was not assigned to agent agent-2") == true)
        #expect(await harness.logs.waitFor("refused result \(assign.task) from agent agent-2"))
        // An outcome that names another job is refused with the reason too, before the store sees it.
        let foreign = WireMessage.result(.init(task: theirs.task, outcome: try outcome(for: assign.task, success: true),
                                               finishedAt: .now()))
        thief.send(foreign)
        let mismatch = try await thief.ack()
        #expect(mismatch.task == theirs.task && mismatch.status == .refused)
        #expect(mismatch.reason?.contains("differs from the task \(theirs.task.taskID)") == true)
        // The thief's connection still works: its own result is acknowledged, and nothing else was.
        thief.send(try resultMessage(theirs.task))
        #expect(try await thief.ack() == .init(task: theirs.task, status: .committed))
        let store = try harness.store()
        let collection = try #require(try store.currentCollection())
        #expect(try store.resultCount(collectionID: collection.id, jobID: assign.task.taskID, countedOnly: false) == 0)
        owner.send(try resultMessage(assign.task))
        #expect(try await owner.ack() == .init(task: assign.task, status: .committed))
        try await owner.leaveAfterDrain()
        try await thief.leaveAfterDrain()
        #expect(try await harness.result().done == 2)
    }

    @Test("restarting the coordinator on the same database keeps live leases for re-attach; the job is not rerun")
    func restartKeepsLeases() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_750_000_000))
        let certificates = try TestCertificates()
        let database = certificates.file("restart.sqlite")
        let first = try await Self.harness(clock: clock, certificates: certificates, database: database)
        let agent = try await first.agent("agent-1", slots: 2)
        let a = try await agent.assign()
        let b = try await agent.assign()
        agent.send(try resultMessage(a.task))
        _ = try await agent.ack()
        first.task.cancel()
        _ = try? await first.result()
        _ = try? await agent.closed()

        clock.advance(by: 10)
        let second = try await Self.harness(clock: clock, certificates: certificates, database: database)
        #expect(await second.logs.waitFor("resuming collection"))
        let back = try await second.agent("agent-1", slots: 2, running: [b.task])
        #expect(try await back.welcome().reattached == [b.task])
        back.send(try resultMessage(b.task))
        #expect(try await back.ack() == .init(task: b.task, status: .committed))
        try await back.leaveAfterDrain()
        let status = try await second.result()
        #expect(status.done == 2)
        #expect(status.attemptsPerJob == [1: 2])
    }
}
