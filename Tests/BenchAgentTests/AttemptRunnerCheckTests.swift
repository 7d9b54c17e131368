import AsyncHTTPClient
import BenchAgent
import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing
import TestSupport

/// `check` tasks through the agent's ``AttemptRunner``: the payload is a ``CheckTask``, the outcome a
/// ``CheckOutcome`` (docs/protocol.md, "check payload and outcome").
@Suite("Attempt runner: check tasks", .serialized)
struct AttemptRunnerCheckTests {
    func assignment(_ payload: JSONValue, id: String = "check-s-00000000-health") -> WireMessage.Assign {
        WireMessage.Assign(task: TaskRef(taskID: id, attempt: 1), kind: .check, leaseMS: 10_000, timeoutMS: 10_000,
                           payload: payload)
    }

    func payload(_ task: CheckTask) -> JSONValue {
        task.wireValue
    }

    func outcome(_ value: JSONValue) throws -> CheckOutcome {
        try CheckOutcome(wireValue: value)
    }

    /// Runs `body` with an attempt runner whose trainer client points at `url`.
    func withAttemptRunner<T: Sendable>(
        url: String, _ body: @Sendable (AttemptRunner) async throws -> T
    ) async throws -> T {
        let http = TrainerClient.makeHTTPClient(connections: 1)
        let runner = AttemptRunner(trainer: TrainerClient(baseURL: url, http: http), agentName: "agent-7")
        return try await shuttingDown(http) { try await body(runner) }
    }

    @Test("a health check task against a healthy trainer answers a PASS outcome naming the agent")
    func healthCheck() async throws {
        let task = CheckTask(suiteRunID: "s-00000001", phase: .before, check: .health,
                             settings: CheckSettings().scaledByTestTiming())
        let value = try await withTrainer { url in
            try await withAttemptRunner(url: url) { try await $0.run(assignment(payload(task))) }
        }
        let outcome = try outcome(value)
        #expect(outcome.check == .health)
        #expect(outcome.status == .pass, "\(outcome.reason ?? "")")
        #expect(outcome.agent == "agent-7")
        #expect(outcome.share == nil)
    }

    @Test("a share of the load check sends only its requests and reports them as samples of this agent")
    func loadShare() async throws {
        let share = try CheckShare(index: 1, count: 2)
        // The seed's load timeout scaled by TestTiming: under TSan a request once outran the unscaled one.
        let task = CheckTask(suiteRunID: "s-00000002", phase: .after, check: .loadHandling, share: share,
                             settings: CheckSettings().scaledByTestTiming())
        let value = try await withTrainer { url in
            try await withAttemptRunner(url: url) { try await $0.run(assignment(payload(task))) }
        }
        let outcome = try outcome(value)
        #expect(outcome.share == share)
        // 5 load requests split 2 ways: share 1 sends ids 1 and 3.
        #expect(outcome.samples.map(\.requestID) == [1, 3])
        #expect(outcome.samples.allSatisfy { $0.agent == "agent-7" && $0.result == .succeeded })
    }

    @Test("a trainer that refuses connections is an ERROR outcome with the cause, not a thrown error")
    func unreachableTrainer() async throws {
        // A loopback port bound but never listening (held until the test ends): connecting is refused.
        let closed = try ClosedLoopbackPort()
        defer { closed.release() }
        var settings = CheckSettings()
        settings.health.timeoutSeconds = 2
        let task = CheckTask(suiteRunID: "s-00000003", phase: .before, check: .health, settings: settings)
        let value = try await withAttemptRunner(url: "http://127.0.0.1:\(closed.port)") {
            try await $0.run(assignment(payload(task)))
        }
        let outcome = try outcome(value)
        #expect(outcome.status == .error)
        #expect(outcome.reason?.isEmpty == false)
    }

    @Test("an agent without a trainer answers a trainer check with an ERROR outcome saying why")
    func noTrainer() async throws {
        let task = CheckTask(suiteRunID: "s-00000004", phase: .after, check: .loadHandling,
                             share: try CheckShare(index: 0, count: 2), settings: CheckSettings())
        let runner = AttemptRunner(trainer: nil, agentName: "agent-8")
        let outcome = try outcome(try await runner.run(assignment(payload(task))))
        #expect(outcome.check == .loadHandling)
        #expect(outcome.status == .error)
        #expect(outcome.share == task.share)
        #expect(outcome.reason?.contains("without a trainer") == true)
    }

    @Test("an undecodable check payload is an ERROR of the named check, or a failed outcome when unnamed")
    func undecodablePayload() async throws {
        let runner = AttemptRunner(trainer: nil, agentName: "agent-9")
        let named = try outcome(try await runner.run(assignment(["check": "rollback", "phase": "sometime"])))
        #expect(named.check == .rollback)
        #expect(named.status == .error)
        #expect(named.reason?.contains("unusable check task") == true)
        #expect(named.reason?.contains("check payload member 'suite_run_id': missing") == true, "\(named)")

        let unnamed = try await runner.run(assignment(["suite_run_id": 3]))
        #expect(unnamed["success"] == .bool(false))
        #expect(unnamed["error"]?.stringValue?.contains("unusable check task") == true)
        #expect(unnamed["error"]?.stringValue?.contains(
            "check payload member 'suite_run_id': expected a string, got a number") == true, "\(unnamed)")
    }
}
