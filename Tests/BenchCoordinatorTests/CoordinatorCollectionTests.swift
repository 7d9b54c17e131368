@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation
import Testing

/// The coordinator over real loopback mutual TLS, driven by scripted agents built on BenchWire's client.
@Suite("Coordinator: a collection with scripted agents")
struct CoordinatorCollectionTests {
    static func plan(days: Int = 1, countries: [String] = ["fr", "de", "uk"], maxInFlight: Int = 64) -> Plan {
        Plan(days: days, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: countries)],
             jobGapSeconds: 0, dayGapSeconds: 0, maxAttempts: 2, maxInFlight: maxInFlight)
    }

    /// Answers every assign with a result until the coordinator drains; returns the tasks it ran.
    static func work(_ agent: ScriptedAgent, until drained: Bool = true) async throws -> [TaskRef] {
        var ran: [TaskRef] = []
        while true {
            let message = try await agent.next()
            switch message {
            case .assign(let assign):
                #expect(assign.kind == .train)
                agent.send(.started(.init(task: assign.task, startedAt: .now())))
                agent.send(try resultMessage(assign.task))
                ran.append(assign.task)
            case .drain:
                agent.send(.bye(.init(reason: "drained")))
                agent.close()
                return ran
            default:
                continue
            }
        }
    }

    @Test("two agents complete a collection: every job counted once, acked committed, drained, reports written")
    func completes() async throws {
        let plan = Self.plan(days: 2)
        let harness = try await CoordinatorHarness(plan: plan)
        let first = try await harness.agent("agent-1", slots: 2)
        let second = try await harness.agent("agent-2", slots: 1)
        let welcome = try await first.welcome()
        #expect(welcome.agentID == "agent-1")
        #expect(welcome.reattached.isEmpty && welcome.cancelled.isEmpty)
        #expect(welcome.heartbeatIntervalMS == 60_000)
        async let ranFirst = Self.work(first)
        async let ranSecond = Self.work(second)
        let tasks = try await ranFirst + ranSecond
        let status = try await harness.result()
        #expect(status.done == 6)
        #expect(status.completedAt != nil)
        #expect(Set(tasks.map(\.taskID)) == Set(plan.expandJobs().map(\.id)))
        #expect(tasks.count == 6)
        #expect(status.agentsSeen.keys.sorted() == ["agent-1", "agent-2"])
        let store = try harness.store()
        let collection = try #require(try store.currentCollection())
        let metrics = try store.countedMetrics(collectionID: collection.id)
        #expect(metrics.map(\.jobID) == plan.expandJobs().map(\.id))
        // The coordinator records who ran it from the certificate, and the job's own fields from its plan.
        for metric in metrics {
            let task = try #require(tasks.first { $0.taskID == metric.jobID })
            #expect(metric.attempt == task.attempt)
            #expect(["agent-1", "agent-2"].contains(metric.agent))
            #expect(metric.country == String(metric.jobID.split(separator: "-").last ?? ""))
        }
        #expect(FileManager.default.fileExists(atPath: harness.certificates.file("reports/baseline_report.md")))
        #expect(await harness.logs.waitFor("collection complete: 6/6 jobs done"))
    }

    @Test("an ack is sent only after the result is committed, and a resent result is acked duplicate")
    func ackAfterCommit() async throws {
        let harness = try await CoordinatorHarness(plan: Self.plan(countries: ["fr", "de"]))
        let agent = try await harness.agent("agent-1", slots: 1)
        let assign = try await agent.assign()
        #expect(assign.task == TaskRef(taskID: "baseline-1-1-fr", attempt: 1))
        #expect(assign.payload["body"]?["job_id"] == "baseline-1-1-fr")
        agent.send(try resultMessage(assign.task, success: false))
        let ack = try await agent.ack()
        #expect(ack == .init(task: assign.task, status: .committed))
        // At the moment of the ack, the database already holds the result (read from another connection).
        let store = try harness.store()
        let collection = try #require(try store.currentCollection())
        #expect(try store.resultCount(collectionID: collection.id, jobID: "baseline-1-1-fr", countedOnly: true) == 1)
        #expect(try store.status(collectionID: collection.id).failedMeasurements == 1)
        // The freed slot got the next job in the same round as the ack.
        let next = try await agent.assign()
        agent.send(try resultMessage(assign.task))
        #expect(try await agent.ack() == .init(task: assign.task, status: .duplicate))
        agent.send(try resultMessage(next.task))
        _ = try await agent.ack()
        _ = try await agent.next { if case .drain = $0 { true } else { nil } }
        agent.send(.bye(.init(reason: "drained")))
        #expect(try await harness.result().done == 2)
    }

    @Test("max_in_flight and slots bound the attempts out; a result frees its slot for the next job")
    func capacity() async throws {
        let harness = try await CoordinatorHarness(plan: Self.plan(countries: ["a", "b", "c", "d"], maxInFlight: 2))
        let agent = try await harness.agent("agent-1", slots: 3)
        let first = try await agent.assign()
        let second = try await agent.assign()
        // Nothing more arrives while two are out: a heartbeat round trip proves the coordinator had its chance.
        agent.send(.heartbeat(.init(sentAtMS: 1, running: [first.task, second.task])))
        agent.send(try resultMessage(first.task))
        let afterAck = try await agent.next { message -> WireMessage? in
            switch message {
            case .ack, .assign: return message
            default: return nil
            }
        }
        guard case .ack = afterAck else {
            Issue.record("a third attempt was assigned before a slot was free: \(afterAck)")
            return
        }
        let third = try await agent.assign()
        #expect(third.task.taskID == "baseline-1-1-c")
        let store = try harness.store()
        let collection = try #require(try store.currentCollection())
        #expect(try store.status(collectionID: collection.id).assigned == 2)
        harness.task.cancel()
        _ = try? await harness.result()
    }

    @Test("jobs with labels go only to agents carrying them")
    func labelRouting() async throws {
        var plan = Self.plan(countries: ["fr"])
        plan.jobs.append(JobConfig(type: "large", iterations: 1, trials: 1, countries: ["de"], labels: ["gpu": "true"]))
        let harness = try await CoordinatorHarness(plan: plan)
        let plain = try await harness.agent("agent-1", slots: 4)
        let plainAssign = try await plain.assign()
        #expect(plainAssign.task.taskID == "baseline-1-1-fr")
        #expect(await harness.logs.waitFor("jobs[1] needs labels gpu=true"))
        let gpu = try await harness.agent("agent-2", slots: 1, labels: ["gpu": "true", "region": "eu"])
        let gpuAssign = try await gpu.assign()
        #expect(gpuAssign.task.taskID == "baseline-1-2-de")
        #expect(gpuAssign.payload["job"]?["labels"]?["gpu"] == "true")
        harness.task.cancel()
        _ = try? await harness.result()
    }
}
