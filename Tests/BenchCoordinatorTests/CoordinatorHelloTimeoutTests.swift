@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

/// A connection that completes the TLS handshake and then says nothing is closed after the hello timeout, with a
/// manual clock (time passes only when the test advances it), while the coordinator goes on serving other agents.
@Suite("Coordinator: hello timeout")
struct CoordinatorHelloTimeoutTests {
    static let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])],
                           jobGapSeconds: 0, dayGapSeconds: 0, maxAttempts: 3, maxInFlight: 64)

    /// Waits (bounded) until more than `count` timers sleep on `clock`: the connection's hello watchdog is armed.
    static func waitForSleepers(on clock: ManualClock, moreThan count: Int) async throws {
        for _ in 0..<2_000 where clock.sleeperCount <= count {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(clock.sleeperCount > count, "the hello watchdog was never armed")
    }

    @Test("a silent connection is closed once the hello timeout passes; other agents are served before and after")
    func silentConnectionClosed() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_750_000_000))
        let harness = try await CoordinatorHarness(plan: Self.plan, clock: clock) {
            $0.helloTimeoutSeconds = 10
        }
        let idleTimers = clock.sleeperCount
        let silent = try await ScriptedAgent.connect(port: harness.port,
                                                     context: try harness.certificates.clientContext("agent-1"))
        try await Self.waitForSleepers(on: clock, moreThan: idleTimers)

        // While the silent connection waits, another agent is welcomed and given work.
        let worker = try await harness.agent("agent-2", slots: 2)
        _ = try await worker.welcome()
        let first = try await worker.assign()

        // The timeout passes: the silent connection is closed without a word, and the log says why.
        clock.advance(by: 10.5)
        let said = try await silent.closed()
        #expect(said.isEmpty)
        #expect(await harness.logs.waitFor("no hello within"))

        // The coordinator still serves: the worker finishes the collection.
        let second = try await worker.assign()
        worker.send(try resultMessage(first.task))
        worker.send(try resultMessage(second.task))
        try await worker.leaveAfterDrain()
        let status = try await harness.result()
        #expect(status.done == 2)
        #expect(status.agentsSeen.keys.sorted() == ["agent-2"])
    }

    @Test("an agent that says hello before the timeout is not closed by the watchdog when the time passes")
    func helloDisarmsWatchdog() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_750_000_000))
        let harness = try await CoordinatorHarness(plan: Self.plan, clock: clock) {
            $0.helloTimeoutSeconds = 10
        }
        let agent = try await harness.agent("agent-1", slots: 2)
        _ = try await agent.welcome()
        let first = try await agent.assign()
        clock.advance(by: 10.5)
        // Still served after the hello timeout: its results are acknowledged and the collection completes.
        let second = try await agent.assign()
        agent.send(try resultMessage(first.task))
        #expect(try await agent.ack() == .init(task: first.task, status: .committed))
        agent.send(try resultMessage(second.task))
        try await agent.leaveAfterDrain()
        #expect(try await harness.result().done == 2)
        #expect(!harness.logs.lines.contains { $0.contains("no hello within") })
    }
}
