import BenchCore
import BenchStore
import Foundation
import Testing

@Suite("Store: the coordinator's scheduling batches")
struct SchedulingTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static func plan(maxAttempts: Int = 2) -> Plan {
        Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de", "uk"])],
             maxAttempts: maxAttempts)
    }

    func open(_ db: borrowing TemporaryDatabase, maxAttempts: Int = 2) throws -> (BenchStore, String, [JobSpec]) {
        let store = try BenchStore(path: db.path)
        let plan = Self.plan(maxAttempts: maxAttempts)
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
        return (store, collection.id, plan.expandJobs())
    }

    func assign(_ store: BenchStore, _ id: String, _ job: JobSpec, attempt: Int, agent: String, lease: Date)
        throws -> AssignmentOutcome
    {
        try store.applySchedulingBatch(
            collectionID: id, SchedulingBatch(assignments: [
                AttemptAssignment(jobID: job.id, attempt: attempt, agent: agent, leaseUntil: lease),
            ]), maxAttempts: 2, now: t0).assignments[0]
    }

    @Test("a snapshot lists every job in matrix order with its state, attempt, holder and lease")
    func snapshot() throws {
        let db = try TemporaryDatabase()
        let (store, id, jobs) = try open(db)
        #expect(try assign(store, id, jobs[1], attempt: 1, agent: "a", lease: t0 + 30) == .assigned)
        let snapshot = try store.schedulingSnapshot(collectionID: id)
        #expect(snapshot.jobs.map(\.jobID) == jobs.map(\.id))
        #expect(snapshot.jobs.map(\.state) == [.pending, .assigned, .pending])
        #expect(snapshot.jobs[1].attempt == 1)
        #expect(snapshot.jobs[1].agent == "a")
        #expect(snapshot.jobs[1].leaseUntil == t0 + 30)
        #expect(snapshot.lastActivity == t0)
    }

    @Test("an assignment applies only to a pending job at the expected attempt")
    func conditionalAssignment() throws {
        let db = try TemporaryDatabase()
        let (store, id, jobs) = try open(db)
        #expect(try assign(store, id, jobs[0], attempt: 2, agent: "a", lease: t0 + 30)
                == .conflict("job \(jobs[0].id) is pending at attempt 0, expected pending at attempt 1"))
        #expect(try assign(store, id, jobs[0], attempt: 1, agent: "a", lease: t0 + 30) == .assigned)
        #expect(try assign(store, id, jobs[0], attempt: 1, agent: "b", lease: t0 + 30)
                == .conflict("job \(jobs[0].id) is assigned at attempt 1, expected pending at attempt 0"))
        #expect(try store.assignedAttempts(collectionID: id, agent: "a").map(\.attempt) == [1])
    }

    @Test("results of one batch commit together: committed, duplicate, stale and refused in one transaction")
    func groupCommit() throws {
        let db = try TemporaryDatabase()
        let (store, id, jobs) = try open(db)
        for job in jobs { #expect(try assign(store, id, job, attempt: 1, agent: "a", lease: t0 + 30) == .assigned) }
        let submissions = [
            ResultSubmission(jobID: jobs[0].id, attempt: 1, agent: "a", metric: .sample(jobs[0], attempt: 1, agent: "a")),
            ResultSubmission(jobID: jobs[1].id, attempt: 1, agent: "a", metric: .sample(jobs[1], attempt: 1, agent: "a")),
            ResultSubmission(jobID: jobs[0].id, attempt: 1, agent: "a", metric: .sample(jobs[0], attempt: 1, agent: "a")),
            ResultSubmission(jobID: jobs[2].id, attempt: 1, agent: "b", metric: .sample(jobs[2], attempt: 1, agent: "b")),
        ]
        let outcome = try store.applySchedulingBatch(collectionID: id, SchedulingBatch(results: submissions),
                                                     maxAttempts: 2, now: t0 + 1)
        #expect(outcome.results[0] == .committed)
        #expect(outcome.results[1] == .committed)
        #expect(outcome.results[2] == .duplicate)
        guard case .notYours = outcome.results[3] else {
            Issue.record("a result of another agent's attempt was accepted")
            return
        }
        let status = try store.status(collectionID: id)
        #expect(status.done == 2)
        #expect(try store.resultCount(collectionID: id, jobID: jobs[0].id, countedOnly: false) == 1)
        #expect(try store.resultCount(collectionID: id, jobID: jobs[2].id, countedOnly: false) == 0)
    }

    @Test("a late result of an expired attempt is stale even before the job is re-assigned, and not counted")
    func expiredAttemptIsStale() throws {
        let db = try TemporaryDatabase()
        let (store, id, jobs) = try open(db)
        #expect(try assign(store, id, jobs[0], attempt: 1, agent: "a", lease: t0 + 30) == .assigned)
        let closed = try store.applySchedulingBatch(collectionID: id, SchedulingBatch(closures: [
            AttemptClosure(jobID: jobs[0].id, attempt: 1, agent: "a", kind: .expired, reason: "lease expired"),
        ]), maxAttempts: 2, now: t0 + 31)
        #expect(closed.closures == [.requeued])
        let late = ResultSubmission(jobID: jobs[0].id, attempt: 1, agent: "a",
                                    metric: .sample(jobs[0], attempt: 1, agent: "a"))
        let outcome = try store.applySchedulingBatch(collectionID: id, SchedulingBatch(results: [late, late]),
                                                     maxAttempts: 2, now: t0 + 32)
        #expect(outcome.results == [.stale, .duplicate])
        #expect(try store.status(collectionID: id).pending == 3)
        #expect(try store.resultCount(collectionID: id, jobID: jobs[0].id, countedOnly: true) == 0)
        #expect(try store.status(collectionID: id).staleResults == 1)
        // The next attempt is 2 and counts.
        #expect(try assign(store, id, jobs[0], attempt: 2, agent: "b", lease: t0 + 60) == .assigned)
        let second = ResultSubmission(jobID: jobs[0].id, attempt: 2, agent: "b",
                                      metric: .sample(jobs[0], attempt: 2, agent: "b"))
        #expect(try store.applySchedulingBatch(collectionID: id, SchedulingBatch(results: [second]), maxAttempts: 2,
                                               now: t0 + 70).results == [.committed])
    }

    @Test("closures: lost attempts re-queue until max_attempts, then a harness error; releases do not count")
    func closures() throws {
        let db = try TemporaryDatabase()
        let (store, id, jobs) = try open(db)
        let job = jobs[0]
        #expect(try assign(store, id, job, attempt: 1, agent: "a", lease: t0 + 30) == .assigned)
        let release = AttemptClosure(jobID: job.id, attempt: 1, agent: "a", kind: .released, reason: "not delivered")
        #expect(try store.applySchedulingBatch(collectionID: id, SchedulingBatch(closures: [release]), maxAttempts: 2,
                                               now: t0).closures == [.released])
        #expect(try assign(store, id, job, attempt: 2, agent: "a", lease: t0 + 30) == .assigned)
        let lost2 = AttemptClosure(jobID: job.id, attempt: 2, agent: "a", kind: .abandoned, reason: "agent lost it")
        #expect(try store.applySchedulingBatch(collectionID: id, SchedulingBatch(closures: [lost2, lost2]),
                                               maxAttempts: 2, now: t0).closures == [.requeued, .notCurrent])
        #expect(try assign(store, id, job, attempt: 3, agent: "b", lease: t0 + 30) == .assigned)
        let lost3 = AttemptClosure(jobID: job.id, attempt: 3, agent: "b", kind: .expired, reason: "lease expired")
        #expect(try store.applySchedulingBatch(collectionID: id, SchedulingBatch(closures: [lost3]), maxAttempts: 2,
                                               now: t0 + 40).closures == [.gaveUp])
        let status = try store.status(collectionID: id)
        #expect(status.harnessErrors == 1)
        let metric = try #require(try store.countedMetrics(collectionID: id).first)
        #expect(metric.success == false)
        #expect(metric.errorMessage?.contains("2 attempts lost") == true)
        #expect(metric.errorMessage?.contains("lease expired") == true)
    }

    @Test("renewals only extend the current holder's lease, in the job and the attempt rows")
    func renewals() throws {
        let db = try TemporaryDatabase()
        let (store, id, jobs) = try open(db)
        #expect(try assign(store, id, jobs[0], attempt: 1, agent: "a", lease: t0 + 30) == .assigned)
        let outcome = try store.applySchedulingBatch(collectionID: id, SchedulingBatch(renewals: [
            LeaseRenewal(jobID: jobs[0].id, attempt: 1, agent: "a", until: t0 + 90),
            LeaseRenewal(jobID: jobs[0].id, attempt: 1, agent: "a", until: t0 + 60),
            LeaseRenewal(jobID: jobs[0].id, attempt: 1, agent: "b", until: t0 + 900),
            LeaseRenewal(jobID: jobs[1].id, attempt: 1, agent: "a", until: t0 + 900),
        ]), maxAttempts: 2, now: t0 + 5)
        #expect(outcome.renewed == 1)
        #expect(try store.schedulingSnapshot(collectionID: id).jobs[0].leaseUntil == t0 + 90)
        #expect(try store.expireLeases(collectionID: id, maxAttempts: 2, now: t0 + 89).isEmpty)
        #expect(try store.expireLeases(collectionID: id, maxAttempts: 2, now: t0 + 91).count == 1)
    }

    @Test("one failing statement rolls the whole batch back")
    func atomicity() throws {
        let db = try TemporaryDatabase()
        let (store, id, jobs) = try open(db)
        #expect(try assign(store, id, jobs[0], attempt: 1, agent: "a", lease: t0 + 30) == .assigned)
        var bad = BaselineMetric.sample(jobs[0], attempt: 1, agent: "a")
        bad.durationMs = .nan  // cannot be stored as JSON: the transaction fails
        #expect(throws: StoreError.self) {
            try store.applySchedulingBatch(collectionID: id, SchedulingBatch(
                results: [ResultSubmission(jobID: jobs[0].id, attempt: 1, agent: "a", metric: bad)],
                assignments: [AttemptAssignment(jobID: jobs[1].id, attempt: 1, agent: "a", leaseUntil: t0 + 30)]),
                maxAttempts: 2, now: t0)
        }
        let states = try store.schedulingSnapshot(collectionID: id).jobs.map(\.state)
        #expect(states == [.assigned, .pending, .pending])
    }
}
