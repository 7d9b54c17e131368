import BenchCore
import BenchStore
import Foundation
import GRDB
import Testing

/// The report reads every counted result; a stored metric that no longer reads (a damaged file, a hand edit) must
/// stop it with an error naming the collection, the job and the column, not produce a report without that row.
/// (A row kept as JSON by migration `v-result-metric-columns` is refused the same way:
/// `ResultMetricColumnsMigrationTests`.)
@Suite("Store: an unreadable stored metric")
struct CorruptResultRowTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("countedMetrics refuses a damaged metric column and names the collection, the job and the column",
          arguments: [
            ("cpu_hours = 'many'", "cpu_hours: expected a number"),
            ("job_type = NULL", "job_type: missing"),
            ("iterations = 1.5", "iterations: expected an integer"),
            ("country = x'00'", "country: expected a text"),
            ("http_status = 'ok'", "http_status: expected an integer"),
            ("trainer_figures = '{\"cpu_seconds\": \"9\"}'",
             "trainer_figures: not a metric: trainer_figures.cpu_seconds: expected a number"),
            ("trainer_figures = '{'", "trainer_figures: not JSON"),
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
            try database.execute(sql: "UPDATE result SET \(damage) WHERE job_id = ?", arguments: [jobs[1].id])
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
                "collection \(collection.id), the result of job \(jobs[1].id) unreadable: \(reason)"), "\(error.reason)")
        }
    }
}
