@testable import BenchCoordinator
import BenchCore
import BenchStore
import Foundation
import Testing

/// The dispatch planner and agent slots with an A/B plan: both halves of a job to one agent, in one slot.
@Suite("Dispatch: A/B pairs share one slot")
struct PairDispatchTests {
    static let t0 = BoardFixtures.t0

    static func board() throws -> JobBoard {
        var plan = BoardFixtures.plan(days: 1)
        plan.targets = PlanTargets(baseline: "http://a:1", candidate: "http://b:2")
        let rows = plan.expandTasks().map {
            StoredJobState(jobID: $0.taskID, ordinal: $0.ordinal, day: $0.day, configIndex: $0.configIndex,
                           state: .pending, attempt: 0, agent: nil, leaseUntil: nil, doneAt: nil)
        }
        return try JobBoard(plan: plan, stored: rows)
    }

    static func plan(_ board: inout JobBoard, _ agents: inout [String: AgentSlots], now: Date) -> DispatchPlanner.Plan {
        var rotation = 0
        return DispatchPlanner.plan(
            board: &board, agents: &agents, order: agents.keys.sorted(), rotation: &rotation, now: now,
            limits: .init(maxInFlight: 64, dayGap: 0, leaseSeconds: 60))
    }

    @Test("each agent slot takes a whole pair: the second half follows the first on the same agent")
    func pairsPerSlot() throws {
        var board = try Self.board()
        var agents = ["a": BoardFixtures.agent("a", slots: 1), "b": BoardFixtures.agent("b", slots: 1, session: 2)]
        let planned = Self.plan(&board, &agents, now: Self.t0)
        #expect(planned.assignments.map(\.task.jobID) == ["baseline-1-1-fr@baseline", "baseline-1-1-fr@candidate",
                                                          "baseline-1-1-de@candidate", "baseline-1-1-de@baseline"])
        #expect(planned.assignments.map(\.agent) == ["a", "a", "b", "b"])
        #expect(planned.assignments.map(\.after) == [nil, planned.assignments[0].task, nil,
                                                     planned.assignments[2].task])
        #expect(board.pendingCount == 2)
        #expect(agents["a"]?.occupied.count == 2 && agents["a"]?.readySlots(at: Self.t0) == 0)
    }

    @Test("the slot is free only when both halves are done, in either order; the gap counts from the pair's end")
    func slotFreedAfterPair() throws {
        var board = try Self.board()
        var agents = ["a": BoardFixtures.agent("a", slots: 1)]
        let first = Self.plan(&board, &agents, now: Self.t0).assignments
        #expect(first.count == 2)
        var slots = try #require(agents["a"])
        slots.release(first[0].task, readyAt: Self.t0 + 1)
        #expect(slots.readySlots(at: Self.t0 + 100) == 0)
        slots.release(first[1].task, readyAt: Self.t0 + 2)
        #expect(slots.readySlots(at: Self.t0 + 1.5) == 0 && slots.readySlots(at: Self.t0 + 2) == 1)
        // A follower dropped before its predecessor leaves the slot with the predecessor.
        var other = BoardFixtures.agent("b", slots: 1)
        let x = TaskKey(jobID: "x@baseline", attempt: 1)
        let y = TaskKey(jobID: "x@candidate", attempt: 1)
        let occupied = other.occupy(x, at: Self.t0)
        #expect(occupied)
        other.follow(y, after: x)
        other.release(y, readyAt: Self.t0)
        #expect(other.readySlots(at: Self.t0 + 1) == 0)
        other.release(x, readyAt: Self.t0 + 1)
        #expect(other.readySlots(at: Self.t0 + 1) == 1)
    }

    @Test("both halves re-attached after a reconnect hold one slot, not two")
    func reattachedPair() {
        let x = TaskKey(jobID: "x@baseline", attempt: 1)
        let y = TaskKey(jobID: "x@candidate", attempt: 1)
        var slots = AgentSlots(name: "a", sessionID: 1, slots: 2, allowedConfigs: [0], occupied: [x, y],
                               readyAt: Self.t0)
        #expect(slots.readySlots(at: Self.t0) == 0)
        slots.pairReattached(y, after: x, readyAt: Self.t0)
        #expect(slots.readySlots(at: Self.t0) == 1)
        slots.release(x, readyAt: Self.t0)
        #expect(slots.readySlots(at: Self.t0) == 1)
        slots.release(y, readyAt: Self.t0)
        #expect(slots.readySlots(at: Self.t0) == 2)
    }
}
