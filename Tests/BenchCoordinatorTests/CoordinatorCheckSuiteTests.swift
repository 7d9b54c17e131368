@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation
import NIOConcurrencyHelpers
import Testing

/// A collection whose plan runs the optimization test suite, with scripted agents over real loopback mutual TLS.
@Suite("Coordinator: the check suite through scripted agents")
struct CoordinatorCheckSuiteTests {
    static func plan(run: CheckSuitePlacement, enabled: [CheckKind]) -> Plan {
        var plan = CoordinatorCollectionTests.plan(countries: ["fr", "de"])
        plan.checks = CheckPlan(run: run, disabled: CheckKind.allCases.filter { !enabled.contains($0) })
        return plan
    }

    /// When each scripted agent received what (wall clock).
    final class Received: Sendable {
        private let state = NIOLockedValueBox<[(agent: String, assign: WireMessage.Assign, at: Date)]>([])
        func add(_ agent: String, _ assign: WireMessage.Assign) {
            state.withLockedValue { $0.append((agent, assign, Date())) }
        }
        var all: [(agent: String, assign: WireMessage.Assign, at: Date)] { state.withLockedValue { $0 } }
        private let acknowledged = NIOLockedValueBox<[WireMessage.Ack]>([])
        func add(_ ack: WireMessage.Ack) { acknowledged.withLockedValue { $0.append(ack) } }
        var acks: [WireMessage.Ack] { acknowledged.withLockedValue { $0 } }
    }

    /// Runs every assignment until drained: train jobs succeed, checks pass with one succeeded sample per request
    /// of their share.
    static func work(_ agent: ScriptedAgent, name: String, received: Received) async throws {
        while true {
            switch try await agent.next() {
            case .assign(let assign):
                received.add(name, assign)
                agent.send(.started(.init(task: assign.task, startedAt: .now())))
                if assign.kind == .check {
                    let task = try CheckTask(wireValue: assign.payload)
                    agent.send(.result(.init(task: assign.task, outcome: passing(task, agent: name),
                                             finishedAt: .now())))
                } else {
                    agent.send(try resultMessage(assign.task))
                }
            case .ack(let ack):
                received.add(ack)
            case .drain:
                agent.send(.bye(.init(reason: "drained")))
                agent.close()
                return
            default:
                continue
            }
        }
    }

    static func passing(_ task: CheckTask, agent: String) -> JSONValue {
        let ids = (task.share ?? .whole).requestIDs(total: task.settings.concurrentRequests(for: task.check))
        return CheckOutcome(
            check: task.check, status: .pass, durationSeconds: 0.01, startedAt: Date(),
            samples: ids.map {
                CheckRequestSample(requestID: $0, result: .succeeded, httpStatus: 200, startOffsetMs: 0,
                                   durationMs: 1, detail: nil)
            }, share: task.share, agent: agent).wireValue
    }

    @Test("checks.run both: the before suite completes before any train job, the after suite before the drain")
    func beforeAndAfter() async throws {
        let plan = Self.plan(run: .both, enabled: [.health, .loadHandling, .rollback])
        let ranLocally = NIOLockedValueBox(0)
        let harness = try await CoordinatorHarness(plan: plan) { configuration in
            configuration.minCheckAgents = 2
            configuration.localCheckRunner = { task in
                ranLocally.withLockedValue { $0 += 1 }
                return CheckOutcome(check: task.check, status: .pass, durationSeconds: 0, startedAt: Date(),
                                    agent: "coordinator")
            }
        }
        let received = Received()
        let first = try await harness.agent("agent-1", slots: 2)
        let second = try await harness.agent("agent-2", slots: 2)
        async let one: Void = Self.work(first, name: "agent-1", received: received)
        async let two: Void = Self.work(second, name: "agent-2", received: received)
        _ = try await (one, two)
        let status = try await harness.result()
        #expect(status.done == 2)

        let store = try harness.store()
        let collection = try #require(try store.currentCollection())
        let runs = try store.suiteRuns(collectionID: collection.id)
        #expect(runs.map(\.phase) == [.before, .after])
        #expect(runs.allSatisfy { $0.completedAt != nil })
        let before = try #require(runs.first?.completedAt)
        let after = try #require(runs.last)
        let assigns = received.all
        let trains = assigns.filter { $0.assign.kind == .train }
        #expect(trains.count == 2)
        // No train job went out before the before suite was stored complete; the after suite began after the last.
        #expect(trains.allSatisfy { $0.at >= before })
        #expect(trains.allSatisfy { $0.at <= after.startedAt })

        for run in runs {
            let report = try store.testSuiteReport(for: run)
            #expect(report.outcomes.map(\.check) == [.health, .loadHandling, .rollback])
            #expect(report.outcomes.allSatisfy { $0.status == .pass })
            let load = try #require(report.outcomes.first { $0.check == .loadHandling })
            #expect(load.agents == ["agent-1", "agent-2"])
            #expect(Set(load.samples.compactMap(\.agent)) == ["agent-1", "agent-2"])
            #expect(report.outcomes.last?.agent == "coordinator")
        }
        // Rollback ran here, once per suite; agents got health and the two load shares of each suite.
        #expect(ranLocally.withLockedValue { $0 } == 2)
        #expect(assigns.filter { $0.assign.kind == .check }.count == 6)
        for name in ["before", "after"] {
            #expect(FileManager.default.fileExists(
                atPath: harness.certificates.file("reports/test_report_\(name).junit.xml")))
        }
    }

    @Test("a check result of a suite run that is not open is acknowledged stale and ignored")
    func staleCheckResult() async throws {
        let harness = try await CoordinatorHarness(plan: Self.plan(run: .after, enabled: [.health]))
        let agent = try await harness.agent("agent-1", slots: 1)
        let old = TaskRef(taskID: "check-s-0badc0de-health", attempt: 1)
        agent.send(.result(.init(task: old, outcome: Self.passing(
            CheckTask(suiteRunID: "s-0badc0de", phase: .after, check: .health, settings: CheckSettings()),
            agent: "agent-1"), finishedAt: .now())))
        // The ack and the collection's first train assignment come in either order.
        var ack: WireMessage.Ack?
        var assign: WireMessage.Assign?
        for _ in 0..<20 where ack == nil || assign == nil {
            switch try await agent.next() {
            case .ack(let message): ack = message
            case .assign(let message): assign = message
            default: continue
            }
        }
        #expect(ack == .init(task: old, status: .stale))
        // The collection goes on: its train job is assigned.
        #expect(assign?.kind == .train)
        harness.task.cancel()
        _ = try? await harness.task.value
    }

    @Test("a coordinator restarted mid-suite supersedes the unfinished run; the old run's late result is stale")
    func resumeMidSuite() async throws {
        let plan = Self.plan(run: .before, enabled: [.health])
        let first = try await CoordinatorHarness(plan: plan)
        let agent = try await first.agent("agent-1", slots: 1)
        let old = try await agent.assign()
        #expect(old.kind == .check)
        // The coordinator stops before the result arrives (the agent keeps it in its outbox).
        first.task.cancel()
        _ = try? await first.task.value
        agent.close()

        let second = try await CoordinatorHarness(plan: plan, certificates: first.certificates,
                                                  database: first.databasePath)
        let again = try await second.agent("agent-1", slots: 1, queued: [old.task])
        let task = try CheckTask(wireValue: old.payload)
        again.send(.result(.init(task: old.task, outcome: Self.passing(task, agent: "agent-1"), finishedAt: .now())))
        let received = Received()
        try await Self.work(again, name: "agent-1", received: received)
        #expect(try await second.result().done == 2)
        #expect(received.acks.contains(.init(task: old.task, status: .stale)))

        let store = try second.store()
        let collection = try #require(try store.currentCollection())
        let runs = try store.suiteRuns(collectionID: collection.id)
        #expect(runs.map(\.phase) == [.before, .before])
        #expect(runs.map { $0.completedAt == nil } == [true, false])
        #expect(try store.checkOutcomes(suiteRunID: runs[0].id).isEmpty)
        let newer = try #require(received.all.first { $0.assign.kind == .check })
        #expect(newer.assign.task.taskID.contains(runs[1].id))
        #expect(try store.latestTestSuiteReports(collectionID: collection.id).map(\.suiteRunID) == [runs[1].id])
    }

    @Test("an agent lost mid-check: after the lease its task runs elsewhere as attempt 2; its late result is stale")
    func lostAgentMidCheck() async throws {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_750_000_000))
        let harness = try await CoordinatorHarness(plan: Self.plan(run: .before, enabled: [.health]), clock: clock) {
            $0.leaseSeconds = 30
            $0.heartbeatIntervalMS = 5_000
            $0.heartbeatTimeoutMS = 600_000
        }
        let lost = try await harness.agent("agent-1", slots: 1)
        let first = try await lost.assign()
        #expect(first.kind == .check && first.leaseMS == 30_000)
        lost.kill()
        #expect(await harness.logs.waitFor("agent agent-1 disconnected"))
        let other = try await harness.agent("agent-2", slots: 1)
        _ = try await other.welcome()
        clock.advance(by: 31)
        #expect(await harness.logs.waitFor("check task \(first.task) on agent-1 lost (lease expired"))
        let back = try await harness.agent("agent-1", slots: 1, queued: [first.task])
        let task = try CheckTask(wireValue: first.payload)
        back.send(.result(.init(task: first.task, outcome: Self.passing(task, agent: "agent-1"), finishedAt: .now())))
        #expect(try await back.ack() == .init(task: first.task, status: .stale))
        let received = Received()
        async let worked: Void = Self.work(other, name: "agent-2", received: received)
        async let returned: Void = Self.work(back, name: "agent-1", received: received)
        _ = try await (worked, returned)
        #expect(try await harness.result().done == 2)
        let checks = received.all.filter { $0.assign.kind == .check }
        #expect(checks.map(\.agent) == ["agent-2"])
        #expect(checks.map(\.assign.task) == [TaskRef(taskID: first.task.taskID, attempt: 2)])

        let store = try harness.store()
        let collection = try #require(try store.currentCollection())
        let run = try #require(try store.suiteRuns(collectionID: collection.id).first)
        let outcomes = try store.checkOutcomes(suiteRunID: run.id)
        #expect(outcomes.map(\.agent) == ["agent-2"])
        #expect(run.completedAt != nil)
    }

    @Test("every job done but the after suite unfinished: a restarted coordinator runs only a new after suite")
    func resumeAfterSuite() async throws {
        let plan = Self.plan(run: .after, enabled: [.health])
        let first = try await CoordinatorHarness(plan: plan)
        let agent = try await first.agent("agent-1", slots: 2)
        var check: WireMessage.Assign?
        for _ in 0..<20 where check == nil {
            let assign = try await agent.assign()
            if assign.kind == .check { check = assign } else { agent.send(try resultMessage(assign.task)) }
        }
        #expect(check != nil)
        first.task.cancel()
        _ = try? await first.task.value
        agent.close()

        let second = try await CoordinatorHarness(plan: plan, certificates: first.certificates,
                                                  database: first.databasePath)
        let again = try await second.agent("agent-1", slots: 2)
        let received = Received()
        try await Self.work(again, name: "agent-1", received: received)
        #expect(try await second.result().done == 2)
        // Only the suite ran again: no train job was assigned twice.
        #expect(received.all.map(\.assign.kind) == [.check])
        #expect(await second.logs.waitFor("did not complete; a new run supersedes it"))

        let store = try second.store()
        let collection = try #require(try store.currentCollection())
        let runs = try store.suiteRuns(collectionID: collection.id)
        #expect(runs.map { $0.completedAt == nil } == [true, false])
        #expect(FileManager.default.fileExists(atPath: second.certificates.file("reports/test_report_after.md")))
    }
}
