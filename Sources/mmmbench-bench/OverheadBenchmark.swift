import BenchAgent
import BenchCore
import BenchStore
import BenchTrainer
import Foundation
import Logging

/// The harness's timing overhead: a `collect --concurrency 1` collection (LocalCollector: SQLite, JobRunner,
/// AsyncHTTPClient) against the instant reference trainer, and per job the measured `duration_ms` minus the
/// trainer's own `elapsed_seconds` (``BaselineMetric/overheadMs``).
enum OverheadBenchmark {
    /// Where the trainer runs.
    enum Placement: String, CaseIterable {
        /// `ReferenceTrainer` in this process, on the same event loops as the client.
        case inProcess = "in-process"
        /// `mmmbench trainer --instant` as a child process (what an operator measures).
        case process
    }

    struct Report {
        let placement: Placement
        let overhead: SummaryStatistics
        let duration: SummaryStatistics
        let trainerElapsedMs: SummaryStatistics
    }

    static func run(jobs: Int, warmup: Int, placement: Placement, mmmbench: String) async throws -> Report {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-overhead-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning

        let url: String
        var reference: ReferenceTrainer?
        var child: SpawnedProcess?
        switch placement {
        case .inProcess:
            var configuration = TrainerConfiguration()
            configuration.instant = true
            let trainer = ReferenceTrainer(configuration: configuration, logger: logger)
            url = "http://127.0.0.1:\(try await trainer.start())"
            reference = trainer
        case .process:
            let process = try SpawnedProcess(
                executable: mmmbench,
                arguments: ["trainer", "--instant", "--listen", "127.0.0.1:0", "--log-level", "warning"],
                logPath: directory + "/trainer.log")
            child = process
            url = try await listeningURL(logPath: process.logPath, process: process)
        }

        let countries = (0..<(warmup + jobs)).map { String(format: "c%06d", $0) }
        let plan = Plan(days: 1, jobs: [JobConfig(type: "bench", iterations: 1, trials: 1, countries: countries)],
                        timeoutSeconds: 60, jobGapSeconds: 0, dayGapSeconds: 0)
        let database = directory + "/bench.sqlite"
        let collector = LocalCollector(configuration: LocalCollectionConfiguration(
            trainerURL: url, databasePath: database, plan: plan, concurrency: 1))
        let outcome: Result<CollectionStatus, any Error>
        do {
            outcome = .success(try await collector.run { _ in })
        } catch {
            outcome = .failure(error)
        }
        await reference?.stop()
        if let child { await child.stop(grace: .seconds(5)) }
        let status = try outcome.get()
        guard status.failedMeasurements == 0, status.harnessErrors == 0 else {
            throw BenchmarkFailure("\(status.failedMeasurements) failed measurements, \(status.harnessErrors) "
                                   + "given up: the figures would count failures")
        }
        let store = try BenchStore(path: database)
        let metrics = try store.countedMetrics(collectionID: status.collectionID)
            .sorted { $0.timestamp < $1.timestamp }.dropFirst(warmup)
        guard let overhead = SummaryStatistics(metrics.compactMap(\.overheadMs)),
              let duration = SummaryStatistics(metrics.map(\.durationMs)),
              let elapsed = SummaryStatistics(metrics.compactMap { $0.trainerFigures["elapsed_seconds"] }
                  .map { $0 * 1000 })
        else { throw BenchmarkFailure("no job reported the trainer's elapsed_seconds") }
        return Report(placement: placement, overhead: overhead, duration: duration, trainerElapsedMs: elapsed)
    }

    /// Reads `trainer listening on http://HOST:PORT` from the child's log, waiting up to 30 s.
    static func listeningURL(logPath: String, process: SpawnedProcess) async throws -> String {
        let marker = "trainer listening on "
        for _ in 0..<600 {
            if let text = try? String(contentsOfFile: logPath, encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix(marker) }) {
                return String(line.dropFirst(marker.count))
            }
            if process.hasExited { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw BenchmarkFailure("mmmbench trainer did not say where it listens (\(process.exitDescription)): \(log)")
    }
}
