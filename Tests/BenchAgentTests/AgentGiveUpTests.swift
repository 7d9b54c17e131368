import BenchAgent
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

@Suite("Agent: giving up a coordinator that is gone (--give-up-after)")
struct AgentGiveUpTests {
    @Test("with a give-up time, an agent facing a closed port stops with noSession naming the address and outbox")
    func closedPortGivesUp() async throws {
        let harness = try await AgentHarness()
        let port = harness.coordinator.port
        await harness.coordinator.stop()
        let running = harness.start(harness.agent(giveUpAfter: .milliseconds(300)))
        guard case .failure(let error) = try await harness.outcome(of: running) else {
            Issue.record("an agent without a session for its give-up time must stop with an error")
            return
        }
        let agentError = try #require(error as? AgentError)
        #expect(agentError.code == .noSession)
        #expect(agentError.description.contains("127.0.0.1:\(port)"))
        #expect(agentError.description.contains(harness.outboxPath))
        // How many reconnects fit into 300 ms depends on the machine's load, so their number is not asserted
        // (defaultKeepsTrying shows the retrying itself).
    }

    @Test("without a give-up time the agent keeps reconnecting to a closed port until it is stopped")
    func defaultKeepsTrying() async throws {
        let harness = try await AgentHarness()
        await harness.coordinator.stop()
        let running = harness.start(harness.agent())
        // Backoff is capped at 200 ms here; a dozen failed attempts take a few seconds of trying.
        _ = try await harness.log.wait("12th reconnect") { event in
            if case .reconnecting(_, let attempt) = event, attempt >= 12 { true } else { nil }
        }
        running.cancel()
        guard case .failure(let error) = try await harness.outcome(of: running) else {
            Issue.record("a cancelled agent throws")
            return
        }
        #expect(error is CancellationError, "it was still trying when stopped, not given up: \(error)")
    }

    @Test("the give-up time counts from the end of the last session, not from the start")
    func sessionRestartsTheClock() async throws {
        let harness = try await AgentHarness()
        // 2 s: the reconnect after the cut must come within it even on a loaded machine (backoff starts at 20 ms).
        let running = harness.start(harness.agent(giveUpAfter: .seconds(2)))
        let connection = try await harness.coordinator.nextConnection()
        _ = try await connection.receiveHello()
        try await connection.welcome()
        _ = try await harness.log.wait("connected") { if case .connected = $0 { true } else { nil } }
        // Keep the session longer than the give-up time (a lower bound, not a race), then cut it.
        try await Task.sleep(for: .milliseconds(2_100))
        await connection.drop()
        let again = try await harness.coordinator.nextConnection()
        _ = try await again.receiveHello()
        await again.drop()
        await harness.coordinator.stop()
        guard case .failure(let error) = try await harness.outcome(of: running) else {
            Issue.record("an agent whose coordinator is gone must give up")
            return
        }
        #expect((error as? AgentError)?.code == .noSession)
    }
}
