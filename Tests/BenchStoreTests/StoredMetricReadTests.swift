import BenchCore
import BenchProtocol
import BenchStore
import Foundation
import GRDB
import Testing

/// The reports read every counted metric back from the result's columns (``ResultMetricColumns``): texts, numbers
/// and optionals of every kind read back as the metric committed.
@Suite("Store: stored metrics read back")
struct StoredMetricReadTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static let texts = ["fr", "", "a,b", "say \"hi\"", "line\nbreak", "back\\slash", "a/b", "café 📈", "\u{01}"]

    static func double(_ index: Int, _ salt: Int) -> Double {
        let values: [Double] = [0, -0.0, 1, 0.1, 1e-7, 1e16, 123_456.789, 2.5e-308, 1.7976931348623157e308, -3.25,
                                13.92365126691304, Double(index) / 7]
        return values[(index * 7 + salt) % values.count]
    }

    /// Commits `metrics` (their job ids are the plan's) as results of attempt 1.
    func commit(_ metrics: [BaselineMetric], plan: Plan, path: String) throws -> String {
        let store = try BenchStore(path: path)
        defer { store.close() }
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
        _ = try store.applySchedulingBatch(collectionID: collection.id, SchedulingBatch(assignments: metrics.map {
            AttemptAssignment(jobID: $0.jobID, attempt: 1, agent: $0.agent, leaseUntil: t0 + 30)
        }), maxAttempts: 3, now: t0)
        let outcome = try store.applySchedulingBatch(collectionID: collection.id, SchedulingBatch(
            results: metrics.map { metric in
                ResultSubmission(jobID: metric.jobID, attempt: 1, agent: metric.agent, metric: metric)
            }), maxAttempts: 3, now: t0 + 1)
        #expect(outcome.results.allSatisfy { $0 == .committed })
        return collection.id
    }

    /// 120 metrics of one plan's jobs with texts, numbers and optionals of every kind.
    static func variedMetrics() -> (Plan, [BaselineMetric]) {
        let countries = (0..<120).map { "c\($0)" }
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 5, trials: 2, countries: countries)])
        let metrics = plan.expandJobs().enumerated().map { index, job in
            BaselineMetric(
                timestamp: Date(timeIntervalSince1970: 1_767_225_600 + Double(index) * 0.123457),
                jobID: job.id, jobType: Self.texts[index % Self.texts.count], iterations: index * 1_000_003,
                trials: index % 9, country: Self.texts[(index / 3) % Self.texts.count],
                durationMinutes: Self.double(index, 1), cpuHours: Self.double(index, 2),
                memoryGBHours: Self.double(index, 3), costEstimate: Self.double(index, 4), success: index % 4 != 0,
                errorMessage: index % 4 == 0 ? Self.texts[index % Self.texts.count] : nil, attempt: 1,
                agent: "agent-\(index % 3)", httpStatus: index % 5 == 0 ? nil : 200 + index % 400,
                durationMs: Self.double(index, 5),
                trainerFigures: index % 2 == 0 ? [:] : ["cpu_seconds": Self.double(index, 6), "x,y": -1e-5])
        }
        return (plan, metrics)
    }

    @Test("varied metrics read back equal from the result's columns")
    func variedMetricsReadBack() throws {
        let db = try TemporaryDatabase()
        let (plan, metrics) = Self.variedMetrics()
        let id = try commit(metrics, plan: plan, path: db.path)
        let store = try BenchStore(path: db.path)
        defer { store.close() }
        let read = try store.countedMetrics(collectionID: id)
        #expect(read.count == metrics.count)
        for (got, want) in zip(read, metrics) where got != want {
            Issue.record("\(want.jobID): read \(got), committed \(want)")
        }
    }

    @Test("a metric JSON cannot carry exactly (an integer of 2^53 or more) is refused at commit, nothing stored")
    func hugeIntegersRefused() throws {
        let db = try TemporaryDatabase()
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])])
        let jobs = plan.expandJobs()
        var huge = BaselineMetric.sample(jobs[0], attempt: 1, agent: "a")
        huge.iterations = (1 << 60) + 1
        #expect(!huge.isExactInJSON)
        let store = try BenchStore(path: db.path)
        defer { store.close() }
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
        _ = try store.applySchedulingBatch(collectionID: collection.id, SchedulingBatch(assignments: [
            AttemptAssignment(jobID: huge.jobID, attempt: 1, agent: "a", leaseUntil: t0 + 30),
        ]), maxAttempts: 3, now: t0)
        #expect(throws: (any Error).self) {
            try store.applySchedulingBatch(collectionID: collection.id, SchedulingBatch(results: [
                ResultSubmission(jobID: huge.jobID, attempt: 1, agent: "a", metric: huge),
            ]), maxAttempts: 3, now: t0 + 1)
        }
        #expect(try store.countedMetrics(collectionID: collection.id).isEmpty)
    }
}
