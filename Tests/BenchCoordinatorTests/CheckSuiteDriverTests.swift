@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

/// The suite's state machine without network or database: placement, shares, order, lost attempts, stale results.
@Suite("CheckSuiteDriver: placing, combining and recovering check tasks")
struct CheckSuiteDriverTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)
    let twoAgents: [(name: String, sessionID: UInt64)] = [("agent-1", 1), ("agent-2", 2)]

    func driver(run: CheckSuitePlacement = .after, enabled: [CheckKind], local: Bool = false, maxAttempts: Int = 3,
                minAgents: Int = 1, completed: Set<CheckPhase> = []) -> CheckSuiteDriver {
        let plan = CheckPlan(run: run, disabled: CheckKind.allCases.filter { !enabled.contains($0) })
        return CheckSuiteDriver(configuration: .init(
            collectionID: "c-1", plan: plan, target: "http://trainer", maxAttempts: maxAttempts, leaseSeconds: 30,
            maxShares: 2, rollbackRunsLocally: local, minAgents: minAgents), completedPhases: completed)
    }

    @Test("the first check waits for the minimum number of agents; later checks take whoever is connected")
    func minimumAgents() throws {
        var driver = driver(enabled: [.health, .loadHandling], minAgents: 2)
        _ = driver.begin(.after, id: "s-00000008", now: t0)
        #expect(driver.plan(agents: [("agent-1", 1)], now: t0).isEmpty)
        let health = try #require(assignments(driver.plan(agents: twoAgents, now: t0)).first)
        _ = driver.accept(health.assign.task, agent: health.agent,
                          outcome: answer(try task(health.assign), agent: health.agent, at: t0), now: t0)
        _ = driver.advance()
        // agent-2 left: the load check still runs, as one share.
        let load = assignments(driver.plan(agents: [("agent-1", 1)], now: t0))
        #expect(load.count == 1)
        #expect(try task(load[0].assign).share == nil)
    }

    func assignments(_ dispatches: [CheckSuiteDriver.Dispatch]) -> [(agent: String, assign: WireMessage.Assign)] {
        dispatches.compactMap {
            if case .assign(let agent, _, let assign) = $0 { (agent, assign) } else { nil }
        }
    }

    func task(_ assign: WireMessage.Assign) throws -> CheckTask {
        try CheckTask(wireValue: assign.payload)
    }

    /// What an agent answers for `task`: a pass, with one succeeded sample per request of its share.
    func answer(_ task: CheckTask, agent: String, at time: Date) -> JSONValue {
        let ids = (task.share ?? .whole).requestIDs(total: task.settings.concurrentRequests(for: task.check))
        let samples = ids.map {
            CheckRequestSample(requestID: $0, result: .succeeded, httpStatus: 200, startOffsetMs: 1, durationMs: 5,
                               detail: nil, agent: agent)
        }
        return CheckOutcome(
            check: task.check, status: .pass, durationSeconds: 0.5, startedAt: time, samples: samples,
            share: task.share, agent: agent).wireValue
    }

    @Test("checks run one at a time in order; the load check is split over two agents and combined, naming both")
    func sharesOverTwoAgents() throws {
        var driver = driver(enabled: [.health, .loadHandling])
        #expect(!driver.holdsTrainJobs)
        let begun = driver.begin(.after, id: "s-00000001", now: t0)
        let run = try #require(begun)
        #expect(run.phase == .after && run.collectionID == "c-1")

        let first = assignments(driver.plan(agents: twoAgents, now: t0))
        #expect(first.count == 1)
        let health = try task(first[0].assign)
        #expect(health.check == .health && health.share == nil)
        #expect(first[0].assign.kind == .check && first[0].assign.task.taskID == "check-s-00000001-health")
        // The next check waits for this one's outcome.
        #expect(driver.plan(agents: twoAgents, now: t0).isEmpty)
        #expect(driver.advance().isEmpty)

        let accepted = driver.accept(first[0].assign.task, agent: first[0].agent,
                                     outcome: answer(health, agent: first[0].agent, at: t0), now: t0)
        guard case .record(let suiteRunID, let healthOutcome) = accepted else {
            Issue.record("expected a new outcome, got \(accepted)")
            return
        }
        #expect(suiteRunID == "s-00000001" && healthOutcome.status == .pass)
        #expect(driver.advance().count == 1)

        let shares = assignments(driver.plan(agents: twoAgents, now: t0))
        #expect(shares.count == 2)
        #expect(Set(shares.map(\.agent)) == ["agent-1", "agent-2"])
        let tasks = try shares.map { try task($0.assign) }
        #expect(tasks.map(\.share) == [try CheckShare(index: 0, count: 2), try CheckShare(index: 1, count: 2)])
        #expect(shares.map(\.assign.task.taskID) == ["check-s-00000001-load_handling-1of2",
                                                      "check-s-00000001-load_handling-2of2"])
        for (share, task) in zip(shares, tasks) {
            _ = driver.accept(share.assign.task, agent: share.agent,
                              outcome: answer(task, agent: share.agent, at: t0), now: t0)
        }
        let steps = driver.advance()
        guard steps.count == 2, case .checkFinished(_, let load, 2, 2) = steps[0],
              case .suiteCompleted(let completed, let outcomes) = steps[1]
        else {
            Issue.record("expected the load check and then the suite to finish, got \(steps)")
            return
        }
        #expect(load.status == .pass)
        #expect(load.agents == ["agent-1", "agent-2"])
        #expect(load.samples.map(\.requestID).sorted() == [0, 1, 2, 3, 4])
        #expect(completed.id == "s-00000001")
        #expect(outcomes.map(\.check) == [.health, .loadHandling])
        #expect(!driver.hasWork && driver.suite == nil)
    }

    @Test("with one agent connected a concurrent check is one share; with none a check waits")
    func sharesCappedByAgents() throws {
        var driver = driver(enabled: [.parallelProcessing])
        _ = driver.begin(.after, id: "s-00000002", now: t0)
        #expect(driver.plan(agents: [], now: t0).isEmpty)
        let one = assignments(driver.plan(agents: [("agent-1", 1)], now: t0))
        #expect(one.count == 1)
        #expect(try task(one[0].assign).share == nil)
        #expect(one[0].assign.task.taskID == "check-s-00000002-parallel_processing")
    }

    @Test("a lost attempt is assigned again after its lease; after the last one the share is an ERROR with the causes")
    func lostAgent() throws {
        var driver = driver(enabled: [.loadHandling], maxAttempts: 2)
        _ = driver.begin(.after, id: "s-00000003", now: t0)
        let shares = assignments(driver.plan(agents: twoAgents, now: t0))
        let lostShare = try #require(shares.first { $0.agent == "agent-2" })
        let kept = try #require(shares.first { $0.agent == "agent-1" })
        _ = driver.accept(kept.assign.task, agent: "agent-1",
                          outcome: answer(try task(kept.assign), agent: "agent-1", at: t0), now: t0)
        // agent-1 keeps renewing; agent-2 went silent.
        #expect(driver.expire(now: t0 + 29).isEmpty)
        #expect(driver.nextExpiry == t0 + 30)
        let losses = driver.expire(now: t0 + 30)
        #expect(losses.map(\.ref) == [lostShare.assign.task])
        #expect(losses.first?.gaveUp == nil)

        // Only agent-1 is left: the share goes to it as attempt 2.
        let again = assignments(driver.plan(agents: [("agent-1", 1)], now: t0 + 30))
        #expect(again.map(\.agent) == ["agent-1"])
        #expect(again.first?.assign.task == TaskRef(taskID: lostShare.assign.task.taskID, attempt: 2))
        // The late result of attempt 1 is stale.
        let late = driver.accept(lostShare.assign.task, agent: "agent-2",
                                 outcome: answer(try task(lostShare.assign), agent: "agent-2", at: t0), now: t0 + 31)
        guard case .stale = late else {
            Issue.record("a result of a lost attempt must be stale, got \(late)")
            return
        }
        let final = driver.expire(now: t0 + 61)
        let gaveUp = try #require(final.first?.gaveUp)
        #expect(gaveUp.outcome.status == .error)
        #expect(gaveUp.outcome.reason?.contains("no result after 2 attempts") == true)
        #expect(gaveUp.outcome.reason?.contains("attempt 1 on agent-2: lease expired") == true)

        let steps = driver.advance()
        guard case .checkFinished(_, let combined, _, _) = steps.first else {
            Issue.record("expected the check to finish, got \(steps)")
            return
        }
        #expect(combined.status == .error)
        #expect(combined.reason?.contains("share 2/2") == true)
    }

    @Test("heartbeats renew the holder's lease; other agents and old attempts are told to cancel")
    func liveness() throws {
        var driver = driver(run: .before, enabled: [.health])
        #expect(driver.begin(.before, id: "s-00000004", now: t0) != nil)
        let assigned = try #require(assignments(driver.plan(agents: twoAgents, now: t0)).first)
        #expect(driver.alive(assigned.assign.task, agent: assigned.agent, now: t0 + 20) == .renewed)
        #expect(driver.expire(now: t0 + 40).isEmpty)
        let other = assigned.agent == "agent-1" ? "agent-2" : "agent-1"
        guard case .notCurrent = driver.alive(assigned.assign.task, agent: other, now: t0 + 20) else {
            Issue.record("another agent's heartbeat must not keep the attempt")
            return
        }
        guard case .notCurrent = driver.alive(TaskRef(taskID: "check-s-99999999-health", attempt: 1),
                                              agent: assigned.agent, now: t0)
        else {
            Issue.record("a task of another suite run is not current")
            return
        }
    }

    @Test("a resent result is a duplicate; results of other suite runs are stale; an agent's failure is an ERROR")
    func staleAndDuplicate() throws {
        var driver = driver(enabled: [.health, .dataProcessing])
        _ = driver.begin(.after, id: "s-00000005", now: t0)
        let assigned = try #require(assignments(driver.plan(agents: twoAgents, now: t0)).first)
        let failure = AttemptRunnerFailure.outcome("check tasks not supported yet")
        guard case .record(_, let outcome) = driver.accept(assigned.assign.task, agent: assigned.agent,
                                                            outcome: failure, now: t0)
        else {
            Issue.record("the agent's failure must be recorded")
            return
        }
        #expect(outcome.status == .error && outcome.check == .health)
        #expect(outcome.reason == "\(assigned.agent) could not run the check: check tasks not supported yet")
        guard case .duplicate(_, let again) = driver.accept(assigned.assign.task, agent: assigned.agent,
                                                             outcome: failure, now: t0 + 1)
        else {
            Issue.record("a resent result must be a duplicate")
            return
        }
        #expect(again == outcome)
        let old = TaskRef(taskID: "check-s-00000000-health", attempt: 1)
        guard case .stale = driver.accept(old, agent: "agent-1", outcome: failure, now: t0) else {
            Issue.record("a result of an old suite run must be stale")
            return
        }
    }

    @Test("a before suite holds train jobs until it completes; a completed phase is not run again")
    func phases() throws {
        var both = driver(run: .both, enabled: [])
        #expect(both.holdsTrainJobs && both.remainingPhases == [.before, .after])
        #expect(both.begin(.after, id: "s-1", now: t0) == nil)
        _ = both.begin(.before, id: "s-00000006", now: t0)
        guard case .suiteCompleted = both.advance().first else {
            Issue.record("a suite without checks completes at once")
            return
        }
        #expect(!both.holdsTrainJobs && both.remainingPhases == [.after])

        let resumed = driver(run: .both, enabled: [.health], completed: [.before])
        #expect(!resumed.holdsTrainJobs && resumed.remainingPhases == [.after])
    }

    @Test("the rollback check runs on the coordinator's host when it can, even with no agent connected")
    func rollbackLocally() throws {
        var driver = driver(enabled: [.rollback], local: true)
        _ = driver.begin(.after, id: "s-00000007", now: t0)
        let dispatches = driver.plan(agents: [], now: t0)
        guard case .runLocally(let ref, let task) = dispatches.first, dispatches.count == 1 else {
            Issue.record("expected one local run, got \(dispatches)")
            return
        }
        #expect(task.check == .rollback)
        guard case .stale = driver.accept(ref, agent: "agent-1", outcome: answer(task, agent: "agent-1", at: t0),
                                          now: t0)
        else {
            Issue.record("an agent cannot answer a check the coordinator runs")
            return
        }
        guard case .record(_, let outcome) = driver.accept(
            ref, agent: CheckSuiteDriver.localHost, outcome: answer(task, agent: "x", at: t0), now: t0)
        else {
            Issue.record("the local outcome must be recorded")
            return
        }
        #expect(outcome.agent == CheckSuiteDriver.localHost)
    }
}

/// The `{"success": false, "error": ...}` outcome an agent answers when it cannot run a task at all.
enum AttemptRunnerFailure {
    static func outcome(_ reason: String) -> JSONValue {
        .object(["success": .bool(false), "error": .string(reason)])
    }
}
