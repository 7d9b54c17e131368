import BenchCore
import BenchStore
import Foundation
import GRDB
import Testing

/// The metric's columns keep the metric's own job id, attempt and agent only where they differ from the row's
/// (`metric_job_id`, `metric_attempt`, `metric_agent`), and the read puts them back either way.
@Suite("Store: a result's metric columns")
struct ResultMetricColumnsTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("a metric whose job id, attempt or agent differs from the row's reads back as committed; equal ones are not stored twice")
    func ownValuesKeptOnlyWhereTheyDiffer() throws {
        let db = try TemporaryDatabase()
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])])
        let jobs = plan.expandJobs()
        var same = BaselineMetric.sample(jobs[0], attempt: 1, agent: "a")
        same.timestamp = t0
        var other = BaselineMetric.sample(jobs[1], attempt: 1, agent: "a", success: false)
        other.timestamp = t0 + 0.25
        other.jobID = "the agent's own id"
        other.attempt = 7
        other.agent = "agent-as-it-said"
        other.httpStatus = nil
        other.trainerFigures = ["elapsed_seconds": 1e-7, "cpu_seconds": 0.25]
        let store = try BenchStore(path: db.path)
        defer { store.close() }
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
        _ = try store.applySchedulingBatch(collectionID: collection.id, SchedulingBatch(assignments: jobs.map {
            AttemptAssignment(jobID: $0.id, attempt: 1, agent: "a", leaseUntil: t0 + 30)
        }), maxAttempts: 3, now: t0)
        let outcome = try store.applySchedulingBatch(collectionID: collection.id, SchedulingBatch(results: [
            ResultSubmission(jobID: jobs[0].id, attempt: 1, agent: "a", metric: same),
            ResultSubmission(jobID: jobs[1].id, attempt: 1, agent: "a", metric: other),
        ]), maxAttempts: 3, now: t0 + 1)
        #expect(outcome.results == [.committed, .committed])
        #expect(try store.countedMetrics(collectionID: collection.id) == [same, other])

        let queue = try DatabaseQueue(path: db.path)
        defer { try? queue.close() }
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT metric_job_id, metric_attempt, metric_agent, http_status, metric_json FROM result ORDER BY id
                """)
        }
        #expect(rows.count == 2)
        #expect(rows[0] == ["metric_job_id": nil, "metric_attempt": nil, "metric_agent": nil, "http_status": 200,
                            "metric_json": nil])
        #expect(rows[1] == ["metric_job_id": "the agent's own id", "metric_attempt": 7,
                            "metric_agent": "agent-as-it-said", "http_status": nil, "metric_json": nil])
        // No figures: NULL; figures: their JSON object.
        let figures = try queue.read { db in try String?.fetchAll(db, sql: "SELECT trainer_figures FROM result ORDER BY id") }
        #expect(figures[0] == nil)
        #expect(figures[1]?.hasPrefix(#"{"cpu_seconds":0.25,"elapsed_seconds":"#) == true)
    }
}
