import BenchCore
import BenchStore
import Foundation
import Testing

@Suite("Store: durability settings and collections")
struct StoreCollectionTests {
    @Test("the writer connection runs synchronous=FULL in WAL mode")
    func synchronousFull() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        #expect(try store.writerSynchronousMode() == 2)
        #expect(try store.journalMode() == "wal")
        // Reopening keeps both (the pragma is set on every open, after GRDB enables WAL).
        let again = try BenchStore(path: db.path)
        #expect(try again.writerSynchronousMode() == 2)
    }

    @Test("a collection stores its plan and every job of the matrix, pending")
    func createCollection() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        var plan = Plan()
        plan.days = 2
        let (collection, created) = try store.openCollection(plan: plan, forceNew: false)
        #expect(created)
        #expect(collection.plan == plan)
        let status = try store.status(collectionID: collection.id)
        #expect(status.total == 18)
        #expect(status.pending == 18)
        #expect(try store.currentCollection()?.plan == plan)
    }

    @Test("the same plan resumes, a different plan is refused, --new starts over")
    func planMismatch() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (first, _) = try store.openCollection(plan: Plan(), forceNew: false)
        let (again, created) = try store.openCollection(plan: Plan(), forceNew: false)
        #expect(!created)
        #expect(again.id == first.id)
        var other = Plan()
        other.days = 5
        #expect {
            try store.openCollection(plan: other, forceNew: false)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.kind == .planMismatch && error.reason.contains("days 3 -> 5")
                && error.reason.contains("--new")
        }
        let (fresh, createdFresh) = try store.openCollection(plan: other, forceNew: true)
        #expect(createdFresh)
        #expect(fresh.id != first.id)
        #expect(try store.currentCollection()?.id == fresh.id)
    }
}

@Suite("Store: job lifecycle")
struct StoreLifecycleTests {
    static func smallPlan(days: Int = 1) -> Plan {
        Plan(days: days, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])])
    }

    @Test("pending -> assigned(attempt, lease) -> done, in matrix order")
    func lifecycle() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Self.smallPlan(), forceNew: false)
        let now = Date()
        let lease = try #require(try store.leaseNextJob(collectionID: collection.id, agent: "a1", leaseSeconds: 30,
                                                        dayGapSeconds: 0, now: now).lease)
        #expect(lease.job.id == "baseline-1-1-fr")
        #expect(lease.attempt == 1)
        #expect(lease.leaseUntil == now.addingTimeInterval(30))
        #expect(try store.assignedAttempts(collectionID: collection.id, agent: "a1").map(\.job.id) == [lease.job.id])
        let outcome = try store.recordResult(
            collectionID: collection.id,
            ResultSubmission(jobID: lease.job.id, attempt: 1, agent: "a1", metric: .sample(lease.job, attempt: 1, agent: "a1")))
        #expect(outcome == .committed)
        let status = try store.status(collectionID: collection.id)
        #expect(status.done == 1)
        #expect(status.pending == 1)
        #expect(status.agentsSeen == ["a1": 1])
        #expect(try store.countedMetrics(collectionID: collection.id).map(\.jobID) == ["baseline-1-1-fr"])
    }

    @Test("a result is counted at most once: resend is duplicate, late attempt is stale, stranger is refused")
    func atMostOnce() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Self.smallPlan(), forceNew: false)
        let id = collection.id
        let t0 = Date()
        let first = try #require(try store.leaseNextJob(collectionID: id, agent: "a1", leaseSeconds: 10,
                                                        dayGapSeconds: 0, now: t0).lease)
        // a1 goes silent; its lease expires and the job is handed to a2 as attempt 2.
        let expired = try store.expireLeases(collectionID: id, maxAttempts: 3, now: t0.addingTimeInterval(11))
        #expect(expired == [ExpiredAttempt(jobID: first.job.id, attempt: 1, agent: "a1", gaveUp: false)])
        let second = try #require(try store.leaseNextJob(collectionID: id, agent: "a2", leaseSeconds: 10,
                                                         dayGapSeconds: 0, now: t0.addingTimeInterval(12)).lease)
        #expect(second.job.id == first.job.id)
        #expect(second.attempt == 2)

        let a2 = ResultSubmission(jobID: second.job.id, attempt: 2, agent: "a2",
                                  metric: .sample(second.job, attempt: 2, agent: "a2"))
        #expect(try store.recordResult(collectionID: id, a2) == .committed)
        #expect(try store.recordResult(collectionID: id, a2) == .duplicate)
        let late = ResultSubmission(jobID: first.job.id, attempt: 1, agent: "a1",
                                    metric: .sample(first.job, attempt: 1, agent: "a1"))
        #expect(try store.recordResult(collectionID: id, late) == .stale)
        let stranger = ResultSubmission(jobID: first.job.id, attempt: 2, agent: "a3",
                                        metric: .sample(first.job, attempt: 2, agent: "a3"))
        guard case .notYours = try store.recordResult(collectionID: id, stranger) else {
            Issue.record("a result from an agent that was not assigned the attempt must be refused")
            return
        }
        #expect(try store.resultCount(collectionID: id, jobID: first.job.id, countedOnly: true) == 1)
        #expect(try store.resultCount(collectionID: id, jobID: first.job.id, countedOnly: false) == 2)
        let status = try store.status(collectionID: id)
        #expect(status.staleResults == 1)
        #expect(status.redispatched == 1)
        #expect(status.attemptsPerJob == [2: 1])
        #expect(try store.countedMetrics(collectionID: id).map(\.agent) == ["a2"])
    }

    @Test("results submitted together are committed together, each judged on its own")
    func groupCommit() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Self.smallPlan(), forceNew: false)
        let a = try #require(try store.leaseNextJob(collectionID: collection.id, agent: "a1", leaseSeconds: 10,
                                                    dayGapSeconds: 0).lease)
        let b = try #require(try store.leaseNextJob(collectionID: collection.id, agent: "a1", leaseSeconds: 10,
                                                    dayGapSeconds: 0).lease)
        let outcomes = try store.recordResults(collectionID: collection.id, [
            ResultSubmission(jobID: a.job.id, attempt: 1, agent: "a1", metric: .sample(a.job, attempt: 1, agent: "a1")),
            ResultSubmission(jobID: b.job.id, attempt: 1, agent: "a1",
                             metric: .sample(b.job, attempt: 1, agent: "a1", success: false)),
            ResultSubmission(jobID: a.job.id, attempt: 1, agent: "a1", metric: .sample(a.job, attempt: 1, agent: "a1")),
        ])
        #expect(outcomes == [.committed, .committed, .duplicate])
        let status = try store.status(collectionID: collection.id)
        #expect(status.done == 2)
        #expect(status.failedMeasurements == 1)
        #expect(try store.leaseNextJob(collectionID: collection.id, agent: "a1", leaseSeconds: 10,
                                       dayGapSeconds: 0) == .finished)
    }

    @Test("after max_attempts lost attempts a job is done with a harness error")
    func harnessError() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr"])],
                        maxAttempts: 2)
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false)
        for attempt in 1...2 {
            let lease = try #require(try store.leaseNextJob(collectionID: collection.id, agent: "local",
                                                            leaseSeconds: 100, dayGapSeconds: 0).lease)
            #expect(lease.attempt == attempt)
            let closed = try store.abandonAttempts(collectionID: collection.id, agent: "local", maxAttempts: 2)
            #expect(closed.map(\.gaveUp) == [attempt == 2])
        }
        let status = try store.status(collectionID: collection.id)
        #expect(status.done == 1)
        #expect(status.harnessErrors == 1)
        let metric = try #require(try store.countedMetrics(collectionID: collection.id).first)
        #expect(!metric.success)
        #expect(metric.errorMessage?.hasPrefix("harness error: 2 attempts lost") == true)
    }

    @Test("a released attempt goes back to pending without counting as lost")
    func release() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr"])],
                        maxAttempts: 1)
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false)
        let lease = try #require(try store.leaseNextJob(collectionID: collection.id, agent: "local",
                                                        leaseSeconds: 100, dayGapSeconds: 0).lease)
        try store.releaseAttempt(collectionID: collection.id, jobID: lease.job.id, attempt: 1, agent: "local")
        let next = try #require(try store.leaseNextJob(collectionID: collection.id, agent: "local",
                                                       leaseSeconds: 100, dayGapSeconds: 0).lease)
        #expect(next.attempt == 2)
        #expect(try store.status(collectionID: collection.id).harnessErrors == 0)
    }

    @Test("renewed leases do not expire; unrenewed ones do")
    func leaseRenewal() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Self.smallPlan(), forceNew: false)
        let t0 = Date()
        let a = try #require(try store.leaseNextJob(collectionID: collection.id, agent: "a1", leaseSeconds: 10,
                                                    dayGapSeconds: 0, now: t0).lease)
        _ = try #require(try store.leaseNextJob(collectionID: collection.id, agent: "a2", leaseSeconds: 10,
                                                dayGapSeconds: 0, now: t0).lease)
        let renewed = try store.renewLeases(collectionID: collection.id, agent: "a1",
                                            attempts: [(a.job.id, 1)], until: t0.addingTimeInterval(100))
        #expect(renewed == 1)
        // a2 cannot renew a1's attempt.
        #expect(try store.renewLeases(collectionID: collection.id, agent: "a2", attempts: [(a.job.id, 1)],
                                      until: t0.addingTimeInterval(100)) == 0)
        let expired = try store.expireLeases(collectionID: collection.id, maxAttempts: 3, now: t0.addingTimeInterval(50))
        #expect(expired.map(\.agent) == ["a2"])
    }

    @Test("day pacing: day 2 waits for every day-1 job, then for the day gap from the stored finish time")
    func dayGap() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Self.smallPlan(days: 2), forceNew: false)
        let id = collection.id
        let t0 = Date()
        let a = try #require(try store.leaseNextJob(collectionID: id, agent: "x", leaseSeconds: 60, dayGapSeconds: 100,
                                                    now: t0).lease)
        let b = try #require(try store.leaseNextJob(collectionID: id, agent: "x", leaseSeconds: 60, dayGapSeconds: 100,
                                                    now: t0).lease)
        #expect(try store.leaseNextJob(collectionID: id, agent: "x", leaseSeconds: 60, dayGapSeconds: 100,
                                       now: t0) == .waitForRunning)
        let finish = t0.addingTimeInterval(5)
        for lease in [a, b] {
            _ = try store.recordResult(collectionID: id, ResultSubmission(
                jobID: lease.job.id, attempt: 1, agent: "x", metric: .sample(lease.job, attempt: 1, agent: "x")),
                now: finish)
        }
        // A fresh store on the same file (a restart) sees the same gap.
        let reopened = try BenchStore(path: db.path)
        let decision = try reopened.leaseNextJob(collectionID: id, agent: "x", leaseSeconds: 60, dayGapSeconds: 100,
                                                 now: t0.addingTimeInterval(6))
        guard case .waitUntil(let until) = decision else {
            Issue.record("expected a wait for the day gap, got \(decision)")
            return
        }
        #expect(abs(until.timeIntervalSince(finish) - 100) < 0.001)
        let day2 = try #require(try reopened.leaseNextJob(collectionID: id, agent: "x", leaseSeconds: 60,
                                                          dayGapSeconds: 100, now: t0.addingTimeInterval(106)).lease)
        #expect(day2.job.day == 2)
    }
}
