import BenchCore
import BenchStore
import Foundation
import Testing

/// The protocol's fencing rule (`docs/protocol.md`, "result") holds on both write paths: `recordResults` (used by
/// `mmmbench collect`) and the coordinator's `applySchedulingBatch`.
@Suite("Store: one fencing rule for every write path")
struct FencingRuleTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    enum Path: CaseIterable, CustomStringConvertible {
        case recordResults, schedulingBatch
        var description: String { self == .recordResults ? "recordResults" : "applySchedulingBatch" }
    }

    enum Closing: CaseIterable, CustomStringConvertible {
        case leaseExpired, agentAbandoned, released
        var description: String {
            switch self {
            case .leaseExpired: "lease expired"
            case .agentAbandoned: "agent's process ended"
            case .released: "released"
            }
        }
    }

    static let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])],
                           maxAttempts: 3)

    func submit(_ store: BenchStore, _ id: String, _ s: ResultSubmission, via path: Path, now: Date) throws
        -> RecordOutcome
    {
        switch path {
        case .recordResults:
            return try store.recordResult(collectionID: id, s, now: now)
        case .schedulingBatch:
            return try store.applySchedulingBatch(collectionID: id, SchedulingBatch(results: [s]), maxAttempts: 3,
                                                  now: now).results[0]
        }
    }

    @Test("a late result of an attempt closed without a result is stale before the job is re-assigned",
          arguments: Path.allCases, Closing.allCases)
    func closedAttemptIsStale(path: Path, closing: Closing) throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Self.plan, forceNew: false, now: t0)
        let id = collection.id
        let lease = try #require(try store.leaseNextJob(collectionID: id, agent: "a1", leaseSeconds: 10,
                                                        dayGapSeconds: 0, now: t0).lease)
        switch closing {
        case .leaseExpired:
            #expect(try store.expireLeases(collectionID: id, maxAttempts: 3, now: t0 + 11).count == 1)
        case .agentAbandoned:
            #expect(try store.abandonAttempts(collectionID: id, agent: "a1", maxAttempts: 3, now: t0 + 11).count == 1)
        case .released:
            try store.releaseAttempt(collectionID: id, jobID: lease.job.id, attempt: lease.attempt, agent: "a1",
                                     now: t0 + 11)
        }
        // The job waits, still at attempt 1, for its next assignment; the late result arrives now.
        let late = ResultSubmission(jobID: lease.job.id, attempt: 1, agent: "a1",
                                    metric: .sample(lease.job, attempt: 1, agent: "a1"))
        #expect(try submit(store, id, late, via: path, now: t0 + 12) == .stale)
        #expect(try submit(store, id, late, via: path, now: t0 + 13) == .duplicate)
        let afterLate = try store.status(collectionID: id)
        #expect(afterLate.done == 0)
        #expect(afterLate.pending == 2)
        #expect(afterLate.staleResults == 1)
        #expect(try store.resultCount(collectionID: id, jobID: lease.job.id, countedOnly: true) == 0)

        // The job's next attempt runs and is the one that counts.
        let next = try #require(try store.leaseNextJob(collectionID: id, agent: "a2", leaseSeconds: 10,
                                                       dayGapSeconds: 0, now: t0 + 14).lease)
        #expect(next.job.id == lease.job.id)
        #expect(next.attempt == 2)
        let fresh = ResultSubmission(jobID: next.job.id, attempt: 2, agent: "a2",
                                     metric: .sample(next.job, attempt: 2, agent: "a2"))
        #expect(try submit(store, id, fresh, via: path, now: t0 + 15) == .committed)
        #expect(try store.countedMetrics(collectionID: id).map(\.agent) == ["a2"])
        #expect(try store.status(collectionID: id).done == 1)
    }

    @Test("the current running attempt counts once on either path; another agent's report is refused",
          arguments: Path.allCases)
    func currentAttemptCounts(path: Path) throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Self.plan, forceNew: false, now: t0)
        let id = collection.id
        let lease = try #require(try store.leaseNextJob(collectionID: id, agent: "a1", leaseSeconds: 10,
                                                        dayGapSeconds: 0, now: t0).lease)
        let stranger = ResultSubmission(jobID: lease.job.id, attempt: 1, agent: "a9",
                                        metric: .sample(lease.job, attempt: 1, agent: "a9"))
        guard case .notYours = try submit(store, id, stranger, via: path, now: t0 + 1) else {
            Issue.record("a result for an attempt assigned to another agent was accepted via \(path)")
            return
        }
        let own = ResultSubmission(jobID: lease.job.id, attempt: 1, agent: "a1",
                                   metric: .sample(lease.job, attempt: 1, agent: "a1"))
        #expect(try submit(store, id, own, via: path, now: t0 + 2) == .committed)
        #expect(try submit(store, id, own, via: path, now: t0 + 3) == .duplicate)
        #expect(try store.resultCount(collectionID: id, jobID: lease.job.id, countedOnly: false) == 1)
        #expect(try store.status(collectionID: id).done == 1)
    }
}
