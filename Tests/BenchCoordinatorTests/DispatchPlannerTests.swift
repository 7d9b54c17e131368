@testable import BenchCoordinator
import BenchCore
import Foundation
import Testing

@Suite("DispatchPlanner: pacing, capacity and routing")
struct DispatchPlannerTests {
    let t0 = BoardFixtures.t0

    func plan(_ board: inout JobBoard, _ agents: inout [String: AgentSlots], order: [String], now: Date,
              maxInFlight: Int = 64, rotation: Int = 0) -> DispatchPlanner.Plan {
        var rotation = rotation
        return DispatchPlanner.plan(board: &board, agents: &agents, order: order, rotation: &rotation, now: now,
                                    limits: .init(maxInFlight: maxInFlight, dayGap: 100, leaseSeconds: 30))
    }

    @Test("free slots are filled round-robin, one job per agent per round, in matrix order")
    func roundRobin() throws {
        var board = try BoardFixtures.board(BoardFixtures.plan(days: 1))
        var agents = ["a": BoardFixtures.agent("a", slots: 2), "b": BoardFixtures.agent("b", slots: 2, session: 2)]
        let result = plan(&board, &agents, order: ["a", "b"], now: t0)
        #expect(result.assignments.map(\.agent) == ["a", "b", "a"])
        #expect(result.assignments.map(\.task.jobID) == ["baseline-1-1-fr", "baseline-1-1-de", "baseline-1-2-uk"])
        #expect(result.assignments.allSatisfy { $0.task.attempt == 1 && $0.leaseUntil == t0 + 30 })
        #expect(result.assignments.map(\.sessionID) == [1, 2, 1])
        #expect(agents["a"]?.occupied.count == 2)
        #expect(agents["b"]?.readySlots(at: t0) == 1)
        #expect(board.inFlight == 3)
    }

    @Test("max_in_flight caps the attempts out across agents")
    func maxInFlight() throws {
        var board = try BoardFixtures.board(BoardFixtures.plan(days: 1))
        var agents = ["a": BoardFixtures.agent("a", slots: 8)]
        #expect(plan(&board, &agents, order: ["a"], now: t0, maxInFlight: 2).assignments.count == 2)
        #expect(plan(&board, &agents, order: ["a"], now: t0, maxInFlight: 2).assignments.isEmpty)
    }

    @Test("a slot takes its next job only job_gap after its previous attempt ended; planning says when")
    func jobGapPerSlot() throws {
        var board = try BoardFixtures.board(BoardFixtures.plan(days: 1))
        var agents = ["a": BoardFixtures.agent("a", slots: 1)]
        let first = try #require(plan(&board, &agents, order: ["a"], now: t0).assignments.first)
        board.leaseCommitted(first.index)
        let outcome11 = board.resultArrived(first.task, agent: "a")
        #expect(outcome11)
        agents["a"]?.release(first.task, readyAt: t0 + 30)
        let waiting = plan(&board, &agents, order: ["a"], now: t0 + 10)
        #expect(waiting.assignments.isEmpty)
        #expect(waiting.wakeAt == t0 + 30)
        #expect(plan(&board, &agents, order: ["a"], now: t0 + 30).assignments.count == 1)
    }

    @Test("jobs go only to agents carrying their labels; unroutable configs are named")
    func labels() throws {
        let configs = [
            JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr"]),
            JobConfig(type: "large", iterations: 1, trials: 1, countries: ["de"], labels: ["gpu": "true"]),
        ]
        var board = try BoardFixtures.board(BoardFixtures.plan(days: 1, configs: configs))
        let allowedPlain = AgentSlots.allowedConfigs(labels: ["region": "eu"], configLabels: configs.map(\.labels))
        let allowedGPU = AgentSlots.allowedConfigs(labels: ["gpu": "true"], configLabels: configs.map(\.labels))
        #expect(allowedPlain == [0])
        #expect(allowedGPU == [0, 1])
        var agents = ["plain": BoardFixtures.agent("plain", slots: 4, configs: allowedPlain)]
        let first = plan(&board, &agents, order: ["plain"], now: t0)
        #expect(first.assignments.map(\.task.jobID) == ["baseline-1-1-fr"])
        #expect(first.unroutable.isEmpty)  // only computed when nothing could be assigned
        #expect(plan(&board, &agents, order: ["plain"], now: t0).unroutable == [1])
        agents["gpu"] = BoardFixtures.agent("gpu", slots: 1, session: 2, configs: allowedGPU)
        let second = plan(&board, &agents, order: ["plain", "gpu"], now: t0)
        #expect(second.assignments.map(\.agent) == ["gpu"])
        #expect(second.assignments.map(\.task.jobID) == ["baseline-1-2-de"])
        #expect(second.unroutable.isEmpty)
    }

    @Test("a closed day gate assigns nothing and wakes when the gap ends")
    func dayGapWake() throws {
        var board = try BoardFixtures.board(BoardFixtures.plan(days: 2))
        var agents = ["a": BoardFixtures.agent("a", slots: 3)]
        let day1 = plan(&board, &agents, order: ["a"], now: t0).assignments
        #expect(day1.count == 3)
        for assignment in day1 {
            board.leaseCommitted(assignment.index)
            let outcome12 = board.resultArrived(assignment.task, agent: "a")
            #expect(outcome12)
            let outcome13 = board.resultRecorded(assignment.task, agent: "a", outcome: .committed, now: t0 + 5)
            #expect(outcome13)
            agents["a"]?.release(assignment.task, readyAt: t0 + 5)
        }
        let gated = plan(&board, &agents, order: ["a"], now: t0 + 50)
        #expect(gated.assignments.isEmpty)
        #expect(gated.wakeAt == t0 + 105)
        #expect(plan(&board, &agents, order: ["a"], now: t0 + 105).assignments.count == 3)
    }

    @Test("an agent announcing absurdly many slots is held to the coordinator's maximum")
    func slotCap() {
        let agent = AgentSlots(name: "a", sessionID: 1, slots: Int.max, allowedConfigs: [0], occupied: [],
                               readyAt: t0)
        #expect(agent.slots == AgentSlots.maximumSlots)
        #expect(agent.readySlots(at: t0) == AgentSlots.maximumSlots)
    }

    @Test("draining agents and agents without ready slots get nothing")
    func drainingAgents() throws {
        var board = try BoardFixtures.board(BoardFixtures.plan(days: 1))
        var draining = BoardFixtures.agent("a", slots: 2)
        draining.draining = true
        var agents = ["a": draining, "b": BoardFixtures.agent("b", slots: 1, readyAt: t0 + 5)]
        let result = plan(&board, &agents, order: ["a", "b"], now: t0)
        #expect(result.assignments.isEmpty)
        #expect(result.wakeAt == t0 + 5)
    }

    @Test("an agent has a ready slot exactly when it has ready slots to count, through gaps, releases and drain")
    func hasReadySlotAgreesWithCount() {
        var agent = AgentSlots(name: "a", sessionID: 1, slots: 2, allowedConfigs: [0], occupied: [], readyAt: t0 + 1)
        let times = [t0, t0 + 1, t0 + 2, t0 + 10]
        func agrees() -> Bool { times.allSatisfy { agent.hasReadySlot(at: $0) == (agent.readySlots(at: $0) > 0) } }
        #expect(agrees())
        let first = TaskKey(jobID: "j1", attempt: 1)
        let second = TaskKey(jobID: "j2", attempt: 1)
        #expect(agent.occupy(first, at: t0 + 1) && agent.occupy(second, at: t0 + 1))
        #expect(!agent.hasReadySlot(at: t0 + 10) && agrees())
        agent.release(first, readyAt: t0 + 5)
        #expect(!agent.hasReadySlot(at: t0 + 2) && agent.hasReadySlot(at: t0 + 5) && agrees())
        agent.draining = true
        #expect(!agent.hasReadySlot(at: t0 + 10) && agrees())
    }
}
