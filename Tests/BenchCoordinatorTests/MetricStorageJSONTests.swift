@testable import BenchCoordinator
import BenchCore
import BenchProtocol
import BenchStore
import Foundation
import Testing

/// The metric's wire JSON (a result's `outcome`, and the store's `metric_json` before migration
/// `v-result-metric-columns`) must be the Codable oracle's bytes, and a committed metric must read back from the
/// store's columns as the metric that was committed.
@Suite("Coordinator: the metric's JSON and its stored form")
struct MetricStorageJSONTests {
    static let job = JobSpec(id: "baseline-1-1-fr", ordinal: 0, day: 1, configIndex: 1, country: "fr",
                             jobType: "small/fast", iterations: 50, trials: 2)

    static var metrics: [BaselineMetric] {
        let at = Date(timeIntervalSince1970: 1_750_000_000.123456)
        var withFigures = BaselineMetric.success(
            job: job, startedAt: at, durationMs: 12.345678901, httpStatus: 200, attempt: 3, agent: "agent-1",
            costModel: CostModel(), trainerFigures: ["cpu_seconds": 0.1, "elapsed_seconds": 1e-7, "peak": 1e16])
        withFigures.durationMinutes = -0.0
        let failed = BaselineMetric.failure(
            job: job, startedAt: at, durationMs: 0.5, httpStatus: nil, attempt: 1, agent: "agent-2",
            error: "HTTP 500: \"quoted\" \\ back/slash, tab\t, newline\n, control \u{1}, ünïcödé 📈")
        return [withFigures, failed]
    }

    @Test("the wire JSON is byte for byte the Codable oracle's, and reads back as the metric", arguments: metrics)
    func sameBytesAsOracle(metric: BaselineMetric) throws {
        let written = try #require(metric.wireText)
        #expect(written == String(decoding: try MetricCodableOracle.wireBytes(metric), as: UTF8.self))
        #expect(try BaselineMetric(wireValue: #require(metric.wireValue)) == metric)
        #expect(MetricCodableOracle.decode(Data(written.utf8)) == metric)
    }

    @Test("a metric's JSON without a member, or with one of the wrong type, is refused naming it")
    func refusalsNameTheMember() throws {
        var members = try #require(Self.metrics[0].wireValue)
        guard case .object(var fields) = members else { throw OutcomeRefusal(reason: "not an object") }
        fields["duration_ms"] = nil
        members = .object(fields)
        #expect(throws: OutcomeRefusal(reason: "duration_ms: missing")) { try BaselineMetric(wireValue: members) }
        fields["duration_ms"] = .string("12")
        #expect(throws: OutcomeRefusal(reason: "duration_ms: expected a number")) {
            try BaselineMetric(wireValue: .object(fields))
        }
        #expect(throws: OutcomeRefusal(reason: "not an object")) { try BaselineMetric(wireValue: [1, 2]) }
    }

    @Test("numbers JSON cannot carry exactly have no JSON (the store refuses them)")
    func uncheckedNumbersFallBack() {
        var metric = Self.metrics[0]
        metric.costEstimate = .nan
        #expect(metric.wireValue == nil)
        #expect(!metric.isExactInJSON)
        metric = Self.metrics[0]
        metric.iterations = 1 << 60
        #expect(metric.wireValue == nil)
        #expect(!metric.isExactInJSON)
        #expect(Self.metrics.allSatisfy { $0.isExactInJSON })
    }

    @Test("a result the coordinator commits reads back from the store as the same metric")
    func readsBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("metric-json-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try BenchStore(path: path)
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small/fast", iterations: 50, trials: 2, countries: ["fr"])])
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false)
        let job = try #require(plan.expandJobs().first)
        _ = try store.applySchedulingBatch(collectionID: collection.id, SchedulingBatch(assignments: [
            AttemptAssignment(jobID: job.id, attempt: 1, agent: "agent-2", leaseUntil: Date() + 60),
        ]), maxAttempts: 3)
        var metric = Self.metrics[1]
        metric.jobID = job.id
        let submission = ResultSubmission(jobID: job.id, attempt: 1, agent: "agent-2", metric: metric)
        let outcome = try store.applySchedulingBatch(collectionID: collection.id,
                                                     SchedulingBatch(results: [submission]), maxAttempts: 3)
        #expect(outcome.results == [.committed])
        #expect(try store.countedMetrics(collectionID: collection.id) == [metric])
    }
}
