@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation
import Testing

/// An A/B plan through the coordinator, over real loopback mutual TLS, with scripted agents.
@Suite("Coordinator: A/B collections with scripted agents")
struct CoordinatorTargetTests {
    static let targets = PlanTargets(baseline: "http://127.0.0.1:18080", candidate: "http://127.0.0.1:18081")

    static func plan(countries: [String] = ["fr", "de"]) -> Plan {
        var plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: countries)],
                        jobGapSeconds: 0, dayGapSeconds: 0, maxAttempts: 2)
        plan.targets = targets
        return plan
    }

    /// Connects an agent that announces the A/B feature.
    static func abAgent(_ harness: CoordinatorHarness, _ name: String, slots: Int = 1, running: [TaskRef] = [],
                        queued: [TaskRef] = []) async throws -> ScriptedAgent {
        let agent = try await ScriptedAgent.connect(port: harness.port,
                                                    context: try harness.certificates.clientContext(name))
        agent.send(.hello(.init(agentID: name, slots: slots, running: running, queuedResults: queued,
                                features: WireFeature.implemented)))
        return agent
    }

    @Test("both halves of a job go to one agent in ABBA order, the second after the first, each with its URL")
    func pairsOnOneAgent() async throws {
        let plan = Self.plan()
        let harness = try await CoordinatorHarness(plan: plan)
        let agent = try await Self.abAgent(harness, "agent-1", slots: 1)
        _ = try await agent.welcome()
        var assigns: [WireMessage.Assign] = []
        for _ in 0..<2 {
            let first = try await agent.assign()
            let second = try await agent.assign()
            assigns += [first, second]
            #expect(first.after == nil)
            #expect(second.after == first.task)
            for assign in [first, second] {
                agent.send(.started(.init(task: assign.task, startedAt: .now())))
                agent.send(try resultMessage(assign.task))
                #expect(try await agent.ack() == .init(task: assign.task, status: .committed))
            }
        }
        try await agent.leaveAfterDrain()
        let status = try await harness.result()
        #expect(status.done == 4)
        #expect(assigns.map(\.task.taskID) == plan.expandTasks().map(\.taskID))
        #expect(assigns.map(\.target) == ["baseline", "candidate", "candidate", "baseline"])
        #expect(assigns.map(\.targetURL) == assigns.map { Self.targets.url(ofTarget: $0.target ?? "") })
        // The trainer gets the seed's job id for both halves.
        #expect(assigns.map { $0.payload["body"]?["job_id"] }
                == ["baseline-1-1-fr", "baseline-1-1-fr", "baseline-1-1-de", "baseline-1-1-de"])
        let store = try harness.store()
        let collection = try #require(try store.currentCollection())
        let metrics = try store.countedMetrics(collectionID: collection.id)
        #expect(metrics.map(\.jobID) == plan.expandTasks().map(\.id))
        #expect(metrics.map(\.target) == plan.expandTasks().map(\.target))
        #expect(try store.targetStatus(collectionID: collection.id).map(\.done) == [2, 2])
        #expect(FileManager.default.fileExists(
            atPath: harness.certificates.file("reports/baseline_report_candidate.md")))
    }

    @Test("a pair holds one slot: an agent with 2 slots gets two pairs at once")
    func pairHoldsOneSlot() async throws {
        let plan = Self.plan(countries: ["fr", "de", "uk"])
        let harness = try await CoordinatorHarness(plan: plan)
        let agent = try await Self.abAgent(harness, "agent-1", slots: 2)
        _ = try await agent.welcome()
        var received: [WireMessage.Assign] = []
        for _ in 0..<4 { received.append(try await agent.assign()) }
        let assigns = received
        #expect(assigns.map(\.task.taskID) == Array(plan.expandTasks().map(\.taskID).prefix(4)))
        #expect(assigns.map { $0.after != nil } == [false, true, false, true])
        // Finishing the first half does not free a slot (its partner runs in it): an assign planned with that slot
        // would be sent with the first half's ack, so before the second half's ack. Finishing the pair does.
        agent.send(try resultMessage(assigns[0].task))
        #expect(try await agent.ack().task == assigns[0].task)
        let secondHalf = assigns[1].task
        agent.send(try resultMessage(secondHalf))
        let between = try await agent.next { message -> [WireMessage]? in
            if case .ack(let ack) = message, ack.task == secondHalf { return [] }
            if case .assign = message { return [message] }
            return nil
        }
        #expect(between.isEmpty, "an assign arrived before the pair was done: \(between)")
        let third = try await agent.assign()
        #expect(third.task.taskID == "baseline-1-1-uk@baseline")
        let fourth = try await agent.assign()
        #expect(fourth.after == third.task)
        for assign in Array(assigns.suffix(2)) + [third, fourth] {
            agent.send(try resultMessage(assign.task))
            _ = try await agent.ack()
        }
        try await agent.leaveAfterDrain()
        #expect(try await harness.result().done == 6)
    }

    @Test("an agent that does not announce ab_targets is rejected with feature_missing")
    func oldAgentRejected() async throws {
        let harness = try await CoordinatorHarness(plan: Self.plan())
        let agent = try await harness.agent("agent-1")
        let reply = try await agent.next()
        guard case .reject(let reject) = reply else {
            Issue.record("expected reject, got \(reply)")
            return
        }
        #expect(reject.code == .featureMissing)
        #expect(reject.reason.contains("ab_targets"))
        harness.task.cancel()
        _ = try? await harness.result()
    }

    @Test("reconnecting between the halves: the held half is re-attached and counted once, nothing re-run")
    func reconnectBetweenHalves() async throws {
        let plan = Self.plan(countries: ["fr"])
        let harness = try await CoordinatorHarness(plan: plan)
        let agent = try await Self.abAgent(harness, "agent-1")
        _ = try await agent.welcome()
        let first = try await agent.assign()
        let second = try await agent.assign()
        agent.send(try resultMessage(first.task))
        #expect(try await agent.ack() == .init(task: first.task, status: .committed))
        agent.kill()
        let again = try await Self.abAgent(harness, "agent-1", running: [second.task])
        let welcome = try await again.welcome()
        #expect(welcome.reattached == [second.task] && welcome.cancelled.isEmpty)
        again.send(try resultMessage(second.task))
        #expect(try await again.ack() == .init(task: second.task, status: .committed))
        try await again.leaveAfterDrain()
        let status = try await harness.result()
        #expect(status.done == 2 && status.attemptsPerJob == [1: 2])
    }
}
