import BenchCore
import BenchStore
import Foundation
import Testing

/// An assignment a coordinator committed and then crashed before sending (or before any agent said it had it) is
/// not the agent's failure: closed by a later coordinator, it is `unsent` and does not count toward `max_attempts`.
@Suite("Store: attempts no agent ever reported do not use up a job's attempts after a coordinator restart")
struct UnsentAttemptTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)
    static let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr"])],
                           maxAttempts: 2)
    static let job = "baseline-1-1-fr"

    /// A coordinator process assigns the next attempt of the job to `agent-1` (one committed round).
    func assign(_ store: BenchStore, _ id: String, attempt: Int, at now: Date) throws {
        let outcome = try store.applySchedulingBatch(collectionID: id, SchedulingBatch(assignments: [
            AttemptAssignment(jobID: Self.job, attempt: attempt, agent: "agent-1", leaseUntil: now + 30),
        ]), maxAttempts: 2, now: now)
        #expect(outcome.assignments == [.assigned])
    }

    func abandon(_ store: BenchStore, _ id: String, attempt: Int, at now: Date) throws -> ClosureOutcome {
        try store.applySchedulingBatch(collectionID: id, SchedulingBatch(closures: [
            AttemptClosure(jobID: Self.job, attempt: attempt, agent: "agent-1", kind: .abandoned,
                           reason: "agent reconnected without it"),
        ]), maxAttempts: 2, now: now).closures[0]
    }

    @Test("killed between commit and send, five times: the job is never given up and its result still counts")
    func coordinatorKillLoop() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let id = try store.openCollection(plan: Self.plan, forceNew: false, now: t0).collection.id
        var now = t0
        for attempt in 1...5 {
            try assign(store, id, attempt: attempt, at: now)
            // The coordinator dies here; the next one starts, and the agent says hello without the attempt.
            now += 1
            #expect(try store.inheritUnconfirmedAssignments(collectionID: id).map(\.attempt) == [attempt])
            #expect(try abandon(store, id, attempt: attempt, at: now) == .unsent, "attempt \(attempt)")
        }
        let status = try store.status(collectionID: id)
        #expect(status.harnessErrors == 0 && status.done == 0 && status.pending == 1)
        try assign(store, id, attempt: 6, at: now)
        let recorded = try store.applySchedulingBatch(collectionID: id, SchedulingBatch(results: [
            ResultSubmission(jobID: Self.job, attempt: 6, agent: "agent-1",
                             metric: .sample(Self.plan.expandJobs()[0], attempt: 6, agent: "agent-1")),
        ]), maxAttempts: 2, now: now + 1).results
        #expect(recorded == [.committed])
        #expect(try store.status(collectionID: id).done == 1)
    }

    @Test("an attempt the agent reported (a persisted renewal) before the restart still counts when lost")
    func reportedAttemptCounts() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let id = try store.openCollection(plan: Self.plan, forceNew: false, now: t0).collection.id
        try assign(store, id, attempt: 1, at: t0)
        _ = try store.applySchedulingBatch(collectionID: id, SchedulingBatch(renewals: [
            LeaseRenewal(jobID: Self.job, attempt: 1, agent: "agent-1", until: t0 + 40),
        ]), maxAttempts: 2, now: t0 + 10)
        #expect(try store.inheritUnconfirmedAssignments(collectionID: id).isEmpty)
        #expect(try abandon(store, id, attempt: 1, at: t0 + 11) == .requeued)
        try assign(store, id, attempt: 2, at: t0 + 12)
        #expect(try abandon(store, id, attempt: 2, at: t0 + 13) == .gaveUp, "two lost attempts of max 2")
    }

    @Test("an attempt assigned by the running coordinator still counts when its agent loses it")
    func currentProcessAttemptCounts() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let id = try store.openCollection(plan: Self.plan, forceNew: false, now: t0).collection.id
        try assign(store, id, attempt: 1, at: t0)
        #expect(try abandon(store, id, attempt: 1, at: t0 + 1) == .requeued)
    }

    @Test("leases that ended while no coordinator ran: unreported attempts are unsent, reported ones expire")
    func expiredAtStartup() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])],
                        maxAttempts: 1)
        let id = try store.openCollection(plan: plan, forceNew: false, now: t0).collection.id
        _ = try store.applySchedulingBatch(collectionID: id, SchedulingBatch(assignments: [
            AttemptAssignment(jobID: "baseline-1-1-fr", attempt: 1, agent: "agent-1", leaseUntil: t0 + 30),
            AttemptAssignment(jobID: "baseline-1-1-de", attempt: 1, agent: "agent-1", leaseUntil: t0 + 30),
        ]), maxAttempts: 1, now: t0)
        _ = try store.applySchedulingBatch(collectionID: id, SchedulingBatch(renewals: [
            LeaseRenewal(jobID: "baseline-1-1-de", attempt: 1, agent: "agent-1", until: t0 + 35),
        ]), maxAttempts: 1, now: t0 + 5)
        #expect(try store.inheritUnconfirmedAssignments(collectionID: id).map(\.jobID) == ["baseline-1-1-fr"])
        let closed = try store.expireLeases(collectionID: id, maxAttempts: 1, now: t0 + 100)
        let byJob = Dictionary(uniqueKeysWithValues: closed.map { ($0.jobID, $0.gaveUp) })
        #expect(byJob == ["baseline-1-1-fr": false, "baseline-1-1-de": true])
        let status = try store.status(collectionID: id)
        #expect(status.pending == 1 && status.harnessErrors == 1)
    }
}
