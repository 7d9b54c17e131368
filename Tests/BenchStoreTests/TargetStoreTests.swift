import BenchCore
import BenchStore
import Foundation
import Testing

/// Interleaved A/B collections in the store: one row, attempts, lease and counted result per (job, target).
@Suite("Store: A/B collections per (job, target)")
struct TargetStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static let plan: Plan = {
        var plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])],
                        maxAttempts: 2)
        plan.targets = PlanTargets(baseline: "http://127.0.0.1:1", candidate: "http://127.0.0.1:2")
        return plan
    }()

    func open(_ store: BenchStore) throws -> String {
        try store.openCollection(plan: Self.plan, forceNew: false, now: t0).collection.id
    }

    func submission(_ lease: JobLease, agent: String = "local", success: Bool = true) -> ResultSubmission {
        ResultSubmission(jobID: lease.job.taskID, attempt: lease.attempt, agent: agent,
                         metric: .sample(lease.job, attempt: lease.attempt, agent: agent, success: success))
    }

    @Test("a pair is leased together, in ABBA order, both halves to the same agent")
    func pairLeasedTogether() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let id = try open(store)
        var order: [(String, String)] = []
        for _ in 0..<2 {
            let (decision, partner) = try store.leaseNextPair(collectionID: id, agent: "local", leaseSeconds: 60,
                                                              dayGapSeconds: 0, now: t0)
            let first = try #require(decision.lease)
            let second = try #require(partner)
            #expect(first.job.id == second.job.id)
            #expect(second.agent == first.agent && second.job.ordinal == first.job.ordinal + 1)
            order += [(first.job.id, first.job.target ?? "-"), (second.job.id, second.job.target ?? "-")]
        }
        #expect(order.map(\.0) == ["baseline-1-1-fr", "baseline-1-1-fr", "baseline-1-1-de", "baseline-1-1-de"])
        #expect(order.map(\.1) == ["baseline", "candidate", "candidate", "baseline"])
        let (after, partner) = try store.leaseNextPair(collectionID: id, agent: "local", leaseSeconds: 60,
                                                       dayGapSeconds: 0, now: t0)
        #expect(after == .waitForRunning && partner == nil)
    }

    @Test("fencing holds per (job, target): one counted result per half, a resend is a duplicate, the other half is untouched")
    func fencingPerHalf() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let id = try open(store)
        let (decision, partner) = try store.leaseNextPair(collectionID: id, agent: "a1", leaseSeconds: 60,
                                                          dayGapSeconds: 0, now: t0)
        let first = try #require(decision.lease)
        let second = try #require(partner)
        #expect(try store.recordResult(collectionID: id, submission(first, agent: "a1"), now: t0 + 1) == .committed)
        #expect(try store.recordResult(collectionID: id, submission(first, agent: "a1"), now: t0 + 2) == .duplicate)
        #expect(try store.resultCount(collectionID: id, jobID: second.job.taskID, countedOnly: false) == 0)
        // The other agent's claim on the second half is refused; the holder's result counts.
        if case .notYours = try store.recordResult(collectionID: id, submission(second, agent: "a2"), now: t0 + 3) {
        } else {
            Issue.record("a result of an attempt never assigned to a2 must be refused")
        }
        #expect(try store.recordResult(collectionID: id, submission(second, agent: "a1"), now: t0 + 4) == .committed)
        for lease in [first, second] {
            #expect(try store.resultCount(collectionID: id, jobID: lease.job.taskID, countedOnly: true) == 1)
        }
        let metrics = try store.countedMetrics(collectionID: id)
        #expect(metrics.map(\.jobID) == ["baseline-1-1-fr", "baseline-1-1-fr"])
        #expect(metrics.map(\.target) == ["baseline", "candidate"])
    }

    @Test("a late result of an expired half is stale and the half is re-leased alone, the done half is not rerun")
    func staleHalf() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let id = try open(store)
        let (decision, partner) = try store.leaseNextPair(collectionID: id, agent: "a1", leaseSeconds: 10,
                                                          dayGapSeconds: 0, now: t0)
        let first = try #require(decision.lease)
        let second = try #require(partner)
        #expect(try store.recordResult(collectionID: id, submission(first, agent: "a1"), now: t0 + 1) == .committed)
        let expired = try store.expireLeases(collectionID: id, maxAttempts: 2, now: t0 + 11)
        #expect(expired.map(\.jobID) == [second.job.taskID])
        #expect(try store.recordResult(collectionID: id, submission(second, agent: "a1"), now: t0 + 12) == .stale)
        let (again, none) = try store.leaseNextPair(collectionID: id, agent: "a2", leaseSeconds: 10,
                                                    dayGapSeconds: 0, now: t0 + 13)
        let retry = try #require(again.lease)
        #expect(retry.job.taskID == second.job.taskID && retry.attempt == 2 && none == nil)
        #expect(try store.recordResult(collectionID: id, submission(retry, agent: "a2"), now: t0 + 14) == .committed)
        #expect(try store.resultCount(collectionID: id, jobID: second.job.taskID, countedOnly: true) == 1)
        #expect(try store.resultCount(collectionID: id, jobID: second.job.taskID, countedOnly: false) == 2)
    }

    @Test("resume after a crash between the halves: only the missing half runs again, as its next attempt")
    func resumeBetweenHalves() throws {
        let db = try TemporaryDatabase()
        do {
            let store = try BenchStore(path: db.path)
            let id = try open(store)
            let (decision, _) = try store.leaseNextPair(collectionID: id, agent: "local", leaseSeconds: 60,
                                                        dayGapSeconds: 0, now: t0)
            let first = try #require(decision.lease)
            #expect(try store.recordResult(collectionID: id, submission(first), now: t0 + 1) == .committed)
            // The process dies here, with the candidate half assigned.
        }
        let store = try BenchStore(path: db.path)
        let id = try open(store)
        let abandoned = try store.abandonAttempts(collectionID: id, agent: "local", maxAttempts: 2, now: t0 + 5)
        #expect(abandoned.map(\.jobID) == ["baseline-1-1-fr@candidate"])
        let (decision, partner) = try store.leaseNextPair(collectionID: id, agent: "local", leaseSeconds: 60,
                                                          dayGapSeconds: 0, now: t0 + 6)
        let rerun = try #require(decision.lease)
        #expect(rerun.job.taskID == "baseline-1-1-fr@candidate" && rerun.attempt == 2 && partner == nil)
        let targets = try store.targetStatus(collectionID: id)
        #expect(targets.map(\.target) == ["baseline", "candidate"])
        #expect(targets.map(\.done) == [1, 0] && targets.map(\.assigned) == [0, 1] && targets.map(\.total) == [2, 2])
    }

    @Test("a half given up after max_attempts lost attempts is a harness error of that side only")
    func harnessErrorPerSide() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let id = try open(store)
        for round in 0..<2 {
            let now = t0 + Double(round * 100)
            let (decision, _) = try store.leaseNextPair(collectionID: id, agent: "a1", leaseSeconds: 10,
                                                        dayGapSeconds: 0, now: now)
            _ = try #require(decision.lease)
            _ = try store.expireLeases(collectionID: id, maxAttempts: 2, now: now + 11)
        }
        let targets = try store.targetStatus(collectionID: id)
        #expect(targets.map(\.harnessErrors) == [1, 1])
        let metrics = try store.countedMetrics(collectionID: id)
        #expect(Set(metrics.compactMap(\.target)) == ["baseline", "candidate"])
        #expect(metrics.allSatisfy { $0.jobID == "baseline-1-1-fr" && !$0.success })
    }

    @Test("a one-target collection has no target rows, metrics without target, and the same job ids")
    func oneTargetUnchanged() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        var plan = Self.plan
        plan.targets = nil
        let id = try store.openCollection(plan: plan, forceNew: false, now: t0).collection.id
        let (decision, partner) = try store.leaseNextPair(collectionID: id, agent: "local", leaseSeconds: 60,
                                                          dayGapSeconds: 0, now: t0)
        let lease = try #require(decision.lease)
        #expect(lease.job.taskID == "baseline-1-1-fr" && lease.job.target == nil && partner == nil)
        #expect(try store.recordResult(collectionID: id, submission(lease), now: t0 + 1) == .committed)
        #expect(try store.countedMetrics(collectionID: id).map(\.target) == [nil])
        #expect(try store.targetStatus(collectionID: id).isEmpty)
    }
}
