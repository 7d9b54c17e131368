@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation
import Testing

/// Harness failures that are not the job's: an agent that cannot reach its trainer, and attempts a crashed
/// coordinator committed but no agent ever reported.
@Suite("Coordinator: harness failures that must not burn a job's attempts")
struct CoordinatorHarnessFailureTests {
    static let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])],
                           jobGapSeconds: 0, dayGapSeconds: 0, maxAttempts: 2, maxInFlight: 64)

    /// Index of the first log line containing `text`.
    static func index(of text: String, in lines: [String]) -> Int? {
        lines.firstIndex { $0.contains(text) }
    }

    @Test("an agent whose trainer is unreachable gets no work; a harness failure re-queues without measuring")
    func unreachableTrainer() async throws {
        let harness = try await CoordinatorHarness(plan: Self.plan)
        let context = try harness.certificates.clientContext("agent-1")
        let agent = try await ScriptedAgent.connect(port: harness.port, context: context)
        agent.send(.hello(.init(agentID: "agent-1", slots: 1,
                                trainerUnreachable: "connection refused (http://127.0.0.1:9)")))
        _ = try await agent.welcome()
        #expect(await harness.logs.waitFor("agent agent-1 cannot reach its trainer"))
        let store = try harness.store()
        let collection = try #require(try store.currentCollection())
        let states = try store.unreachableTrainers(collectionID: collection.id)
        #expect(states.map(\.agent) == ["agent-1"])
        #expect(states.first?.reason == "connection refused (http://127.0.0.1:9)")

        agent.send(.heartbeat(.init(sentAtMS: 1, running: [])))
        let first = try await agent.assign()
        let lines = harness.logs.lines
        let back = try #require(Self.index(of: "agent agent-1 reaches its trainer again", in: lines))
        let assigned = try #require(Self.index(of: "assigned \(first.task) to agent-1", in: lines))
        #expect(back < assigned, "work was assigned while the trainer was unreachable")
        #expect(try store.unreachableTrainers(collectionID: collection.id).isEmpty)

        // The trainer went away while the attempt ran: a harness failure, acknowledged, job pending again.
        agent.send(.result(.init(task: first.task, outcome: .object([
            "harness_failure": .string("trainer unreachable: connection refused (http://127.0.0.1:9)"),
        ]), finishedAt: .now())))
        #expect(try await agent.ack() == .init(task: first.task, status: .committed))
        #expect(await harness.logs.waitFor("\(first.task) of agent agent-1 could not run"))
        agent.send(.heartbeat(.init(sentAtMS: 2, running: [])))
        let retry = try await agent.assign()
        #expect(retry.task == TaskRef(taskID: first.task.taskID, attempt: 2))
        agent.send(try resultMessage(retry.task))
        _ = try await agent.ack()
        let last = try await agent.assign()
        agent.send(try resultMessage(last.task))
        _ = try await agent.ack()
        try await agent.leaveAfterDrain()
        let status = try await harness.result()
        #expect(status.done == 2)
        #expect(status.failedMeasurements == 0, "an unreachable trainer is not a measurement")
        #expect(status.harnessErrors == 0)
        let counted = try store.countedMetrics(collectionID: collection.id)
        #expect(counted.first { $0.jobID == first.task.taskID }?.attempt == 2)
    }

    @Test("a harness-failure report for an attempt that is not the agent's current one is answered stale")
    func staleHarnessFailure() async throws {
        let harness = try await CoordinatorHarness(plan: Self.plan)
        let agent = try await harness.agent("agent-1", slots: 1)
        let task = TaskRef(taskID: "baseline-1-1-de", attempt: 7)
        agent.send(.result(.init(task: task, outcome: .object(["harness_failure": .string("trainer unreachable")]),
                                 finishedAt: .now())))
        #expect(try await agent.ack() == .init(task: task, status: .stale))
        harness.task.cancel()
        _ = try? await harness.task.value
    }

    @Test("5 restarts between commit and the agent seeing it: never given up (max_attempts 2), one result")
    func restartLoop() async throws {
        let certificates = try TestCertificates()
        let database = certificates.file("restarts.sqlite")
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr"])],
                        jobGapSeconds: 0, dayGapSeconds: 0, maxAttempts: 2)
        for round in 1...5 {
            let harness = try await CoordinatorHarness(plan: plan, certificates: certificates, database: database)
            let agent = try await harness.agent("agent-1", slots: 1)
            let assign = try await agent.assign()
            #expect(assign.task.attempt == round)
            if round > 1 {
                #expect(harness.logs.lines.contains { $0.contains("closed as unsent, not counted") },
                        "round \(round): \(harness.logs.lines)")
            }
            // The coordinator goes away before the agent says anything about the attempt; the agent forgets it.
            agent.kill()
            harness.task.cancel()
            _ = try? await harness.task.value
        }
        let harness = try await CoordinatorHarness(plan: plan, certificates: certificates, database: database)
        let agent = try await harness.agent("agent-1", slots: 1)
        let assign = try await agent.assign()
        #expect(assign.task.attempt == 6)
        agent.send(try resultMessage(assign.task))
        _ = try await agent.ack()
        try await agent.leaveAfterDrain()
        let status = try await harness.result()
        #expect(status.done == 1 && status.harnessErrors == 0 && status.failedMeasurements == 0)
    }
}
