import BenchCore
import BenchStore
import Foundation
import Testing

/// `attemptSpans`: every attempt with its agent, times and how it ended, as the HTML report's timeline draws it.
@Suite("Store: attempts for the report's timeline")
struct AttemptSpanTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)
    static let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1,
                                                     countries: ["fr", "de", "it"])], maxAttempts: 3)

    @Test("succeeded, failed, expired then re-dispatched, and running attempts, in assignment order")
    func outcomes() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Self.plan, forceNew: false, now: t0)
        let id = collection.id
        func lease(_ agent: String, _ at: Date) throws -> JobLease {
            try #require(try store.leaseNextJob(collectionID: id, agent: agent, leaseSeconds: 10, dayGapSeconds: 0,
                                                now: at).lease)
        }
        // Job 1: lost by a1 (lease expired), then measured successfully by a2 as attempt 2.
        let lost = try lease("a1", t0)
        #expect(try store.expireLeases(collectionID: id, maxAttempts: 3, now: t0 + 11).count == 1)
        let retry = try lease("a2", t0 + 12)
        #expect(retry.job.id == lost.job.id && retry.attempt == 2)
        #expect(try store.recordResult(collectionID: id, ResultSubmission(
            jobID: retry.job.id, attempt: 2, agent: "a2",
            metric: .sample(retry.job, attempt: 2, agent: "a2")), now: t0 + 14) == .committed)
        // Job 2: a failed measurement. Job 3: still running.
        let failing = try lease("a1", t0 + 15)
        #expect(try store.recordResult(collectionID: id, ResultSubmission(
            jobID: failing.job.id, attempt: 1, agent: "a1",
            metric: .sample(failing.job, attempt: 1, agent: "a1", success: false)), now: t0 + 16) == .committed)
        let running = try lease("a2", t0 + 17)

        let spans = try store.attemptSpans(collectionID: id)
        #expect(spans.map(\.jobID) == [lost.job.id, lost.job.id, failing.job.id, running.job.id])
        #expect(spans.map(\.attempt) == [1, 2, 1, 1])
        #expect(spans.map(\.agent) == ["a1", "a2", "a1", "a2"])
        #expect(spans.map(\.outcome) == [.expired, .succeeded, .failed, .running])
        #expect(spans.map(\.start) == [t0, t0 + 12, t0 + 15, t0 + 17])
        #expect(spans.map(\.end) == [t0 + 11, t0 + 14, t0 + 16, nil])
        #expect(spans.allSatisfy { $0.jobType == "small" && $0.day == 1 })
    }

    @Test("a collection without attempts has an empty timeline")
    func empty() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Self.plan, forceNew: false, now: t0)
        #expect(try store.attemptSpans(collectionID: collection.id).isEmpty)
    }
}
