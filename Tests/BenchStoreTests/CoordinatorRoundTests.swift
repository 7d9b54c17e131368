import BenchCore
import BenchStore
import Foundation
import Testing

/// The coordinator's one write per round: check-suite rows, trainer states and the scheduling batch commit together
/// or not at all.
@Suite("Store: the coordinator's round transaction")
struct CoordinatorRoundTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("one round writes suite rows, a trainer state and an assignment, and reports each row's effect")
    func everyKind() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let plan = SchedulingTests.plan()
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
        let job = try #require(plan.expandJobs().first)
        let run = CheckSuiteRun(id: "s-1", collectionID: collection.id, phase: .before, target: "t", startedAt: t0)
        let outcome = CheckStoreTests.outcome(.health)
        let round = CoordinatorRound(
            checks: [.begin(run), .record(suiteRunID: "s-1", outcome), .record(suiteRunID: "s-1", outcome),
                     .complete(suiteRunID: "s-1")],
            trainerStates: [TrainerStateWrite(agent: "a", reason: "connection refused", at: t0)],
            scheduling: SchedulingBatch(assignments: [
                AttemptAssignment(jobID: job.id, attempt: 1, agent: "a", leaseUntil: t0 + 30),
            ]))
        let result = try store.applyCoordinatorRound(collectionID: collection.id, round, maxAttempts: 2, now: t0)
        #expect(result.checks == [true, true, false, true], "the resent outcome changes nothing")
        #expect(result.scheduling.assignments == [.assigned])
        #expect(try store.checkOutcomes(suiteRunID: "s-1").count == 1)
        #expect(try store.suiteRuns(collectionID: collection.id).first?.completedAt != nil)
        #expect(try store.unreachableTrainers(collectionID: collection.id).map(\.agent) == ["a"])
        #expect(try store.schedulingSnapshot(collectionID: collection.id).jobs.first?.state == .assigned)
    }

    @Test("a failing row leaves nothing of its round: no trainer state, no assignment")
    func atomic() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let plan = SchedulingTests.plan()
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
        let job = try #require(plan.expandJobs().first)
        let round = CoordinatorRound(
            checks: [.record(suiteRunID: "s-unknown", CheckStoreTests.outcome(.health))],
            trainerStates: [TrainerStateWrite(agent: "a", reason: "connection refused", at: t0)],
            scheduling: SchedulingBatch(assignments: [
                AttemptAssignment(jobID: job.id, attempt: 1, agent: "a", leaseUntil: t0 + 30),
            ]))
        #expect {
            try store.applyCoordinatorRound(collectionID: collection.id, round, maxAttempts: 2, now: t0)
        } throws: { error in
            (error as? StoreError)?.kind == .unknownSuiteRun
        }
        #expect(try store.unreachableTrainers(collectionID: collection.id).isEmpty)
        #expect(try store.schedulingSnapshot(collectionID: collection.id).jobs.first?.state == .pending)
    }
}
