import BenchCore
import BenchStore
import Foundation

/// A real collection database for `mmmbench-bench html-report --process`: the seed's job configs over as many days
/// as `results` takes, every job assigned to one of `agents` and its result committed through the coordinator's
/// write path (`applySchedulingBatch`, a few hundred jobs a transaction), durations drawn around each type's mean,
/// 3 % failed measurements, the plan's day gap between days (``plan(results:)``: up to 100 days). Attempts of one batch share their assignment and receipt times (the batch's), so the
/// timeline shows the batches rather than single jobs; the report's work is the same.
enum HTMLReportDatabase {
    /// Jobs per transaction (one assignment transaction and one result transaction per batch).
    static let batchSize = 480

    /// A valid plan (at most 366 days) of at least `results` jobs: up to 100 days, each with as many copies of the
    /// seed's six job configs (over four countries) as it takes.
    static func plan(results: Int) -> Plan {
        let countries = ["us", "uk", "de", "fr"]
        let days = min(100, max(1, (results + countries.count - 1) / countries.count))
        let perDay = (results + days - 1) / days
        let configs = (perDay + countries.count - 1) / countries.count
        let seed = Plan().jobs
        return Plan(days: days, jobs: (0..<configs).map { index in
            let template = seed[index % seed.count]
            return JobConfig(type: template.type, iterations: template.iterations + index / seed.count,
                             trials: template.trials, countries: countries)
        })
    }

    /// Builds the database at `path` (which must not exist yet) and returns its collection id.
    static func build(path: String, results: Int, agents: Int, progress: (Int) -> Void) throws -> String {
        var random = HTMLReportBenchmark.SplitMix(seed: 7)
        let plan = Self.plan(results: results)
        // The plan as every reader will load it (validated), before anything is written.
        _ = try Plan.fromCanonicalJSON(plan.canonicalJSON())
        let store = try BenchStore(path: path)
        defer { store.close() }
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let collection = try store.openCollection(plan: plan, forceNew: true, now: start).collection
        let jobs = Array(plan.expandJobs().prefix(results))
        let meanMinutes = ["small": 12.0, "medium": 35.0, "large": 80.0]
        var clock = start
        var written = 0
        var day = 1
        for batchStart in stride(from: 0, to: jobs.count, by: batchSize) {
            let batch = jobs[batchStart..<min(batchStart + batchSize, jobs.count)]
            if let first = batch.first, first.day != day {
                day = first.day
                clock = clock.addingTimeInterval(plan.dayGapSeconds)
            }
            let agentOf = { (index: Int) in "agent-\(index % agents + 1).example.internal" }
            let assignments = batch.indices.map { index in
                AttemptAssignment(jobID: jobs[index].id, attempt: 1, agent: agentOf(index),
                                  leaseUntil: clock.addingTimeInterval(86_400))
            }
            _ = try store.applySchedulingBatch(collectionID: collection.id, SchedulingBatch(assignments: assignments),
                                               maxAttempts: plan.maxAttempts, now: clock)
            var longest = 0.0
            let submissions = batch.indices.map { index -> ResultSubmission in
                let job = jobs[index]
                let minutes = (meanMinutes[job.jobType] ?? 20) * (0.8 + 0.4 * random.unit())
                longest = max(longest, minutes)
                let metric: BaselineMetric = random.unit() < 0.03
                    ? .failure(job: job, startedAt: clock, durationMs: minutes * 60_000, httpStatus: 500, attempt: 1,
                               agent: agentOf(index), error: "HTTP 500: trainer error")
                    : .success(job: job, startedAt: clock, durationMs: minutes * 60_000, httpStatus: 200,
                               attempt: 1, agent: agentOf(index), costModel: CostModel(pricing: plan.pricing))
                return ResultSubmission(jobID: job.id, attempt: 1, agent: agentOf(index), metric: metric)
            }
            clock = clock.addingTimeInterval(longest * 60)
            _ = try store.applySchedulingBatch(collectionID: collection.id, SchedulingBatch(results: submissions),
                                               maxAttempts: plan.maxAttempts, now: clock)
            clock = clock.addingTimeInterval(plan.jobGapSeconds)
            written += batch.count
            progress(written)
        }
        try store.markCompleted(collectionID: collection.id, now: clock)
        return collection.id
    }
}
