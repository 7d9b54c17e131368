import BenchAgent
import BenchCore
import BenchStore
import BenchTrainer
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

/// `mmmbench collect` with an A/B plan against two reference trainers on loopback.
@Suite("Local collector: A/B collections", .serialized)
struct LocalCollectorTargetTests {
    /// Two instant trainers, each logging its `/train` requests to its own file.
    static func withTwoTrainers<T: Sendable>(
        _ body: @Sendable (_ baseline: String, _ candidate: String, _ logs: [String: String]) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmmbench-ab-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "test.trainer")
        logger.logLevel = .critical
        var trainers: [String: (ReferenceTrainer, Int)] = [:]
        var logs: [String: String] = [:]
        for side in ["baseline", "candidate"] {
            logs[side] = directory + "/\(side).log"
            let trainer = ReferenceTrainer(configuration: TrainerConfiguration(instant: true,
                                                                               requestLogPath: logs[side]),
                                           logger: logger)
            trainers[side] = (trainer, try await trainer.start())
        }
        let urls = trainers.mapValues { "http://127.0.0.1:\($0.1)" }
        do {
            let result = try await body(urls["baseline"] ?? "", urls["candidate"] ?? "", logs)
            for (trainer, _) in trainers.values { await trainer.stop() }
            return result
        } catch {
            for (trainer, _) in trainers.values { await trainer.stop() }
            throw error
        }
    }

    /// The job ids a trainer received, in the order of its request log.
    static func requestedJobs(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["job_id"] as? String ?? "?"
        }
    }

    enum Step: Equatable, Sendable {
        case started(String, String)
        case finished(String, String)
    }

    @Test("every job runs once on each side, the two halves back to back in ABBA order, committed per half",
          arguments: [1, 3])
    func abCollection(concurrency: Int) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mmmbench-ab-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let steps = NIOLockedValueBox<[Step]>([])
        let (plan, status) = try await Self.withTwoTrainers { baseline, candidate, logs in
            var plan = Plan(days: 2, jobs: [JobConfig(type: "small", iterations: 5, trials: 1, countries: ["fr", "de"]),
                                            JobConfig(type: "large", iterations: 9, trials: 2, countries: ["uk"])],
                            jobGapSeconds: 0, dayGapSeconds: 0)
            plan.targets = PlanTargets(baseline: baseline, candidate: candidate)
            let status = try await LocalCollector(configuration: testCollectionConfiguration(
                trainerURL: "", databasePath: path, plan: plan, concurrency: concurrency)).run { event in
                switch event {
                case .started(let job, _): steps.withLockedValue { $0.append(.started(job.id, job.target ?? "-")) }
                case .finished(let metric, _, _):
                    steps.withLockedValue { $0.append(.finished(metric.jobID, metric.target ?? "-")) }
                default: break
                }
            }
            let jobIDs = plan.expandJobs().map(\.id)
            for side in ["baseline", "candidate"] {
                let requested = try Self.requestedJobs(try #require(logs[side]))
                #expect(requested.sorted() == jobIDs.sorted(), "\(side) trainer saw \(requested)")
            }
            return (plan, status)
        }
        #expect(status.total == 12 && status.done == 12 && status.failedMeasurements == 0)
        let recorded = steps.withLockedValue { $0 }
        for (k, job) in plan.expandJobs().enumerated() {
            let order = TargetSide.order(forJobAt: k).map(\.rawValue)
            let mine = recorded.filter {
                switch $0 {
                case .started(let id, _), .finished(let id, _): id == job.id
                }
            }
            // Started A, finished A, started B, finished B: one slot, back to back, in the ABBA order.
            #expect(mine == [.started(job.id, order[0]), .finished(job.id, order[0]),
                             .started(job.id, order[1]), .finished(job.id, order[1])], "job \(k)")
        }
        let store = try BenchStore(path: path)
        let metrics = try store.countedMetrics(collectionID: status.collectionID)
        #expect(metrics.map(\.jobID) == plan.expandTasks().map(\.id))
        #expect(metrics.map(\.target) == plan.expandTasks().map(\.target))
        #expect(try store.targetStatus(collectionID: status.collectionID).map(\.done) == [6, 6])
    }

    @Test("killed between the halves: the resumed run measures only the missing half")
    func resumeBetweenHalves() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mmmbench-ab-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await Self.withTwoTrainers { baseline, candidate, logs in
            var plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 5, trials: 1, countries: ["fr"])],
                            jobGapSeconds: 0, dayGapSeconds: 0)
            plan.targets = PlanTargets(baseline: baseline, candidate: candidate)
            // The state a killed `collect` leaves: the pair leased, the baseline half committed, the candidate
            // half still assigned to `local`.
            do {
                let store = try BenchStore(path: path)
                let (collection, _) = try store.openCollection(plan: plan, forceNew: false)
                let (decision, _) = try store.leaseNextPair(
                    collectionID: collection.id, agent: LocalCollector.agentName, leaseSeconds: 60, dayGapSeconds: 0)
                guard case .leased(let first) = decision else { throw CancellationError() }
                let metric = BaselineMetric.success(
                    job: first.job, startedAt: Date(), durationMs: 1, httpStatus: 200, attempt: 1,
                    agent: LocalCollector.agentName, costModel: CostModel()).withTarget(first.job.target)
                _ = try store.recordResult(collectionID: collection.id, ResultSubmission(
                    jobID: first.job.taskID, attempt: 1, agent: LocalCollector.agentName, metric: metric))
            }
            let status = try await LocalCollector(configuration: testCollectionConfiguration(
                trainerURL: "", databasePath: path, plan: plan)).run { _ in }
            #expect(status.done == 2 && status.attemptsPerJob == [1: 1, 2: 1])
            let baselineLog = try #require(logs["baseline"])
            let baselineRequests = FileManager.default.fileExists(atPath: baselineLog)
                ? try Self.requestedJobs(baselineLog) : []
            #expect(baselineRequests.isEmpty)
            #expect(try Self.requestedJobs(try #require(logs["candidate"])) == ["baseline-1-1-fr"])
        }
    }
}
