import BenchCore
import BenchStore
import Foundation
import GRDB
import Testing

/// The report reads every counted result; a stored metric that no longer decodes (a damaged file, a hand edit) must
/// stop it with an error naming the collection and the job, not produce a report without that row.
@Suite("Store: an unreadable stored metric")
struct CorruptResultRowTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("countedMetrics refuses a damaged metric and names the collection and the result's job",
          arguments: [
            ("{\"job_id\": 3", "not JSON"),
            // JSON, but not a metric: the reader names the member.
            ("{\"job_id\": \"x\"}", "not a metric: "),
            ("[]", "not a metric: not an object"),
          ])
    func damagedMetricIsNamed(damage: String, reason: String) throws {
        let db = try TemporaryDatabase()
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])])
        let store = try BenchStore(path: db.path)
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
        let jobs = plan.expandJobs()
        _ = try store.applySchedulingBatch(collectionID: collection.id, SchedulingBatch(assignments: jobs.map {
            AttemptAssignment(jobID: $0.id, attempt: 1, agent: "a", leaseUntil: t0 + 30)
        }), maxAttempts: 3, now: t0)
        _ = try store.applySchedulingBatch(collectionID: collection.id, SchedulingBatch(results: jobs.map {
            ResultSubmission(jobID: $0.id, attempt: 1, agent: "a", metric: .sample($0, attempt: 1, agent: "a"))
        }), maxAttempts: 3, now: t0 + 1)
        #expect(try store.countedMetrics(collectionID: collection.id).count == 2)
        store.close()

        // Damage the second job's metric behind the store's back.
        let queue = try DatabaseQueue(path: db.path)
        try queue.write { database in
            try database.execute(sql: "UPDATE result SET metric_json = ? WHERE job_id = ?",
                                 arguments: [damage, jobs[1].id])
        }
        try queue.close()

        let reopened = try BenchStore(path: db.path)
        defer { reopened.close() }
        do {
            _ = try reopened.countedMetrics(collectionID: collection.id)
            Issue.record("a damaged metric was read without an error")
        } catch {
            #expect(error.kind == .corruptRow)
            #expect(error.reason.contains(
                "collection \(collection.id), the result of job \(jobs[1].id) unreadable: \(reason)"))
        }
    }
}
