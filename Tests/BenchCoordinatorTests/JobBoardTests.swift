@testable import BenchCoordinator
import BenchCore
import BenchStore
import Foundation
import Testing

@Suite("JobBoard: the scheduler's view of the job table")
struct JobBoardTests {
    let t0 = BoardFixtures.t0

    @Test("jobs are handed out in matrix order, one day at a time")
    func matrixOrderDayByDay() throws {
        let plan = BoardFixtures.plan(days: 2)
        var board = try BoardFixtures.board(plan)
        #expect(board.total == 6)
        #expect(board.gate(now: t0, dayGap: 100) == .open(day: 1))
        var ids: [String] = []
        while let index = board.takePending(day: 1, configs: [0, 1]) { ids.append(board[index].spec.id) }
        #expect(ids == ["baseline-1-1-fr", "baseline-1-1-de", "baseline-1-2-uk"])
        // Day 2 jobs are not offered while day 1 is open.
        let outcome1 = board.takePending(day: 1, configs: [0, 1]) == nil
        #expect(outcome1)
        #expect(board.pendingCount == 3)
    }

    @Test("day d+1 opens day_gap seconds after the last job of day d was done, not before")
    func dayGate() throws {
        var board = try BoardFixtures.board(BoardFixtures.plan(days: 2))
        var indexes: [Int] = []
        while let index = BoardFixtures.leaseAndCommit(&board, day: 1, agent: "a", leaseUntil: t0 + 60) {
            indexes.append(index)
        }
        for (offset, index) in indexes.enumerated() {
            let outcome2 = board.resultArrived(board[index].task, agent: "a")
            #expect(outcome2)
            let outcome3 = board.resultRecorded(board[index].task, agent: "a", outcome: .committed,
                                         now: t0 + Double(offset * 10))
            #expect(outcome3)
        }
        // Last job of day 1 done at t0+20: day 2 opens at t0+120.
        #expect(board.gate(now: t0 + 119, dayGap: 100) == .opensAt(t0 + 120, day: 2))
        #expect(board.gate(now: t0 + 120, dayGap: 100) == .open(day: 2))
        #expect(board.doneCount == 3)
    }

    @Test("a job with a lost attempt goes back to pending ahead of later jobs; in-flight counts follow")
    func requeueKeepsOrder() throws {
        var board = try BoardFixtures.board(BoardFixtures.plan(days: 1))
        let first = try #require(BoardFixtures.leaseAndCommit(&board, day: 1, agent: "a", leaseUntil: t0 + 30))
        let second = try #require(BoardFixtures.leaseAndCommit(&board, day: 1, agent: "a", leaseUntil: t0 + 90))
        #expect(board.inFlight == 2)
        #expect(board.nextLeaseCheck == t0 + 30)
        #expect(board.takeExpired(now: t0 + 29).isEmpty)
        let expired = board.takeExpired(now: t0 + 31)
        #expect(expired == [first])
        #expect(board[first].phase == .closing)
        #expect(board.nextLeaseCheck == t0 + 90)
        let outcome4 = board.closed(first, outcome: .requeued, now: t0 + 31)
        #expect(outcome4)
        #expect(board[first].phase == .pending)
        #expect(board.inFlight == 1)
        // The re-queued job comes before the remaining one, as attempt 2.
        let againOptional = board.takePending(day: 1, configs: [0, 1])
        let again = try #require(againOptional)
        #expect(again == first)
        board.beginLease(again, agent: "b", leaseUntil: t0 + 100)
        #expect(board[again].attempt == 2)
        _ = second
    }

    @Test("renewals extend the lease at once and ask to be written only when the stored lease runs low")
    func renewals() throws {
        var board = try BoardFixtures.board(BoardFixtures.plan(days: 1))
        let index = try #require(BoardFixtures.leaseAndCommit(&board, day: 1, agent: "a", leaseUntil: t0 + 30))
        let task = board[index].task
        // 20 s of stored lease left, margin 15: nothing to write yet, but the lease moved.
        #expect(board.renew(task, agent: "a", until: t0 + 40, now: t0 + 10, persistMargin: 15) == nil)
        #expect(board[index].leaseUntil == t0 + 40)
        // 10 s left: write it.
        let renewal = board.renew(task, agent: "a", until: t0 + 50, now: t0 + 20, persistMargin: 15)
        #expect(renewal == LeaseRenewal(jobID: task.jobID, attempt: 1, agent: "a", until: t0 + 50))
        // Another agent, or another attempt, renews nothing.
        #expect(board.renew(task, agent: "b", until: t0 + 500, now: t0 + 20, persistMargin: 1000) == nil)
        #expect(board.renew(TaskKey(jobID: task.jobID, attempt: 2), agent: "a", until: t0 + 500, now: t0 + 20,
                            persistMargin: 1000) == nil)
        #expect(board[index].leaseUntil == t0 + 50)
        // The renewed lease is what expiry looks at.
        #expect(board.takeExpired(now: t0 + 45).isEmpty)
        #expect(board.takeExpired(now: t0 + 51) == [index])
    }

    @Test("a result that arrived stops the lease and the in-flight count; a stale answer restores both")
    func resultArrival() throws {
        var board = try BoardFixtures.board(BoardFixtures.plan(days: 1))
        let index = try #require(BoardFixtures.leaseAndCommit(&board, day: 1, agent: "a", leaseUntil: t0 + 30))
        let task = board[index].task
        let outcome5 = board.resultArrived(task, agent: "b")
        #expect(!outcome5)
        let outcome6 = board.resultArrived(task, agent: "a")
        #expect(outcome6)
        #expect(board.inFlight == 0)
        #expect(board.takeExpired(now: t0 + 100).isEmpty)
        let outcome7 = board.resultRecorded(task, agent: "a", outcome: .stale, now: t0 + 100)
        #expect(outcome7)
        #expect(board.inFlight == 1)
        #expect(board.takeExpired(now: t0 + 100) == [index])
    }

    @Test("a counted result for a job that is not out with an agent is reported as inconsistent")
    func contradictoryCommit() throws {
        var board = try BoardFixtures.board(BoardFixtures.plan(days: 1))
        let task = TaskKey(jobID: "baseline-1-1-fr", attempt: 1)
        let outcome8 = board.resultRecorded(task, agent: "a", outcome: .committed, now: t0)
        #expect(!outcome8)
        let outcome9 = board.resultRecorded(task, agent: "a", outcome: .stale, now: t0)
        #expect(outcome9)
        #expect(board.doneCount == 0)
    }

    @Test("a board loads stored states: assigned leases, done days, and refuses rows of another plan")
    func loadsStoredState() throws {
        let plan = BoardFixtures.plan(days: 2)
        var rows = BoardFixtures.pendingRows(plan)
        for index in 0..<3 {
            rows[index] = StoredJobState(jobID: rows[index].jobID, ordinal: index, day: 1,
                                         configIndex: rows[index].configIndex, state: .done, attempt: 1, agent: nil,
                                         leaseUntil: nil, doneAt: t0 + Double(index))
        }
        rows[3] = StoredJobState(jobID: rows[3].jobID, ordinal: 3, day: 2, configIndex: 1, state: .assigned,
                                 attempt: 2, agent: "a", leaseUntil: t0 + 500, doneAt: nil)
        let board = try JobBoard(plan: plan, stored: rows)
        #expect(board.doneCount == 3)
        #expect(board.inFlight == 1)
        #expect(board.attemptsHeld(by: "a") == [TaskKey(jobID: rows[3].jobID, attempt: 2)])
        #expect(board.gate(now: t0 + 50, dayGap: 100) == .opensAt(t0 + 102, day: 2))
        #expect(board.nextLeaseCheck == t0 + 500)

        #expect(throws: CoordinatorError.self) {
            _ = try JobBoard(plan: BoardFixtures.plan(days: 3), stored: rows)
        }
    }

    @Test("a given-up job is done; the collection completes when every job is done")
    func gaveUp() throws {
        var board = try BoardFixtures.board(BoardFixtures.plan(days: 1, configs: [
            JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr"]),
        ]))
        let index = try #require(BoardFixtures.leaseAndCommit(&board, day: 1, agent: "a", leaseUntil: t0 + 1))
        #expect(board.takeExpired(now: t0 + 2) == [index])
        let outcome10 = board.closed(index, outcome: .gaveUp, now: t0 + 2)
        #expect(outcome10)
        #expect(board.isComplete)
        #expect(board.gate(now: t0 + 2, dayGap: 0) == .finished)
    }
}
