import BenchCore
import BenchStore
import Foundation
import Testing

/// The coordinator encodes a result's metric when it arrives (`ResultSubmission.encodedForStorage()`), so that the
/// single writer spends no time on JSON: what is stored and read back must not depend on who encoded it.
@Suite("Store: results whose metric was encoded before the transaction")
struct PreEncodedResultTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1,
                                                     countries: ["fr", "de"])])

    @Test("a pre-encoded result reads back as the same metric as one encoded by the transaction")
    func sameStoredMetric() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: Self.plan, forceNew: false, now: t0)
        let jobs = Self.plan.expandJobs()
        let lease = t0 + 30
        _ = try store.applySchedulingBatch(collectionID: collection.id, SchedulingBatch(assignments: jobs.map {
            AttemptAssignment(jobID: $0.id, attempt: 1, agent: "a", leaseUntil: lease)
        }), maxAttempts: 3, now: t0)
        // Timestamps that survive seconds-since-1970 JSON exactly, so that read-back metrics compare equal.
        var measured = BaselineMetric.sample(jobs[0], attempt: 1, agent: "a")
        measured.timestamp = t0
        var failed = BaselineMetric.sample(jobs[1], attempt: 1, agent: "a", success: false)
        failed.timestamp = t0 + 0.5
        failed.trainerFigures = ["cpu_seconds": 0.25, "elapsed_seconds": 1e-7]
        failed.errorMessage = "HTTP 500: \"quoted\" \\ and ünïcode"
        let plain = ResultSubmission(jobID: jobs[0].id, attempt: 1, agent: "a", metric: measured)
        let encoded = ResultSubmission(jobID: jobs[1].id, attempt: 1, agent: "a", metric: failed).encodedForStorage()
        #expect(plain.metricJSON == nil)
        #expect(encoded.metricJSON != nil)
        #expect(encoded.encodedForStorage() == encoded)

        let outcome = try store.applySchedulingBatch(
            collectionID: collection.id, SchedulingBatch(results: [plain.encodedForStorage(), encoded]),
            maxAttempts: 3, now: t0 + 1)
        #expect(outcome.results == [.committed, .committed])
        #expect(try store.countedMetrics(collectionID: collection.id) == [measured, failed])

        // The fencing rule does not look at how the metric was encoded: a resend is a duplicate either way.
        let resent = try store.applySchedulingBatch(
            collectionID: collection.id, SchedulingBatch(results: [plain, encoded]), maxAttempts: 3, now: t0 + 2)
        #expect(resent.results == [.duplicate, .duplicate])
    }
}
