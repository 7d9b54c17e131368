import BenchCore
import BenchStore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation

/// The inputs of the micro-benchmarks: the seed's job matrix, measurements drawn deterministically, a typical
/// `result` message.
enum MicroFixtures {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    /// A plan of at least `results` jobs (the seed's configs over enough days).
    static func plan(results: Int) -> Plan {
        Plan(days: max(1, (results + Plan().jobsPerDay - 1) / Plan().jobsPerDay))
    }

    /// `count` measurements of the plan's first jobs: 3 % failed, durations around each type's mean.
    static func metrics(count: Int) -> [BaselineMetric] {
        let plan = plan(results: count)
        var random = SplitMix(state: 42)
        let means = ["small": 12.0, "medium": 35.0, "large": 80.0]
        return plan.expandJobs().prefix(count).enumerated().map { index, job in
            let minutes = (means[job.jobType] ?? 20) * (0.8 + 0.4 * random.unit())
            let at = start.addingTimeInterval(Double(index) * 1.5)
            return random.unit() < 0.03
                ? .failure(job: job, startedAt: at, durationMs: minutes * 60_000, httpStatus: 500, attempt: 1,
                           agent: "agent-1", error: "HTTP 500: trainer error")
                : .success(job: job, startedAt: at, durationMs: minutes * 60_000, httpStatus: 200, attempt: 1,
                           agent: "agent-1", costModel: CostModel(pricing: plan.pricing))
        }
    }

    /// Assigns and commits `count` results of `plan` through the coordinator's write path, 100 a transaction.
    static func commitResults(store: BenchStore, collectionID: String, plan: Plan, count: Int) throws {
        let metrics = metrics(count: count)
        let jobs = Array(plan.expandJobs().prefix(count))
        for batchStart in stride(from: 0, to: count, by: 100) {
            let range = batchStart..<min(batchStart + 100, count)
            let assignments = range.map { index in
                AttemptAssignment(jobID: jobs[index].id, attempt: 1, agent: "agent-1",
                                  leaseUntil: start.addingTimeInterval(86_400))
            }
            _ = try store.applySchedulingBatch(collectionID: collectionID, SchedulingBatch(assignments: assignments),
                                               maxAttempts: plan.maxAttempts, now: start)
            let results = range.map { index in
                ResultSubmission(jobID: jobs[index].id, attempt: 1, agent: "agent-1", metric: metrics[index])
            }
            _ = try store.applySchedulingBatch(collectionID: collectionID, SchedulingBatch(results: results),
                                               maxAttempts: plan.maxAttempts, now: start)
        }
    }

    /// A `result` message as an agent sends it in a baseline collection.
    static let resultMessage: WireMessage = {
        let outcome: JSONValue = [
            "timestamp": 1_740_830_467.031, "job_id": "baseline-3-6-US", "job_type": "baseline", "iterations": 2000,
            "trials": 5, "country": "US", "duration_minutes": 41.117, "cpu_hours": 0.6853, "memory_gb_hours": 2.7412,
            "cost_estimate": 0.0987, "success": true, "attempt": 1, "agent": "agent-1", "duration_ms": 2_467_031,
            "trainer_figures": ["r2": 0.9312, "mape": 0.0741], "http_status": 200,
        ]
        return .result(.init(task: TaskRef(taskID: "baseline-3-6-US", attempt: 1), outcome: outcome,
                             finishedAt: WireTimestamp(Date(timeIntervalSince1970: 1_740_830_467.031))))
    }()

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("mmmbench-micro-\(UUID().uuidString).sqlite")
            .path
    }

    static func remove(_ database: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }

    /// A small deterministic generator, so every run measures the same data.
    struct SplitMix {
        var state: UInt64
        mutating func unit() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
    }
}
