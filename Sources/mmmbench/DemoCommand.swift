import ArgumentParser
import BenchAgent
import BenchCore
import BenchStore
import BenchTrainer
import Foundation
import Logging

/// `mmmbench demo`: the whole product on one machine in about a minute.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the reference trainer and a short baseline collection here; write the reports.",
        discussion: """
            Starts the built-in reference trainer on 127.0.0.1 (a free port), runs the seed's default matrix \
            (3 days x 9 jobs) with its work and its job/day gaps scaled down so the run takes about a minute, \
            commits every result to <dir>/demo.sqlite and writes the reports into <dir>.
            """
    )

    @Option(help: "Where the database and the reports go.")
    var dir: String = "mmmbench-demo"

    @Option(name: .customLong("work-scale"), help: "Trainer work scale (1 = full-size fits).")
    var workScale: Double = 0.03

    @Option(name: .customLong("time-scale"), help: "Scale of the plan's job and day gaps (4 h x 0.0005 = 7.2 s).")
    var timeScale: Double = 0.0005

    @Option(help: "Jobs run at once.")
    var concurrency: Int = 3

    func validate() throws {
        guard workScale > 0, workScale <= 10 else { throw ValidationError("--work-scale must be in (0, 10]") }
        guard timeScale >= 0, timeScale <= 1 else { throw ValidationError("--time-scale must be in [0, 1]") }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be 1...64") }
    }

    func run() async throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var logger = Logger(label: "mmmbench.demo.trainer")
        logger.logLevel = .warning
        var trainerConfiguration = TrainerConfiguration()
        trainerConfiguration.workScale = workScale
        let trainer = ReferenceTrainer(configuration: trainerConfiguration, logger: logger)
        let port = try await trainer.start()
        let trainerURL = "http://127.0.0.1:\(port)"
        print("reference trainer on \(trainerURL) (work scale \(workScale))")

        let plan = Plan()
        let database = (dir as NSString).appendingPathComponent("demo.sqlite")
        print("collecting \(plan.days) days x \(plan.jobsPerDay) jobs, gaps scaled by \(timeScale), "
              + "\(concurrency) at a time, into \(database)")
        let printer = ProgressPrinter()
        let collector = LocalCollector(configuration: LocalCollectionConfiguration(
            trainerURL: trainerURL, databasePath: database, plan: plan, concurrency: concurrency,
            timeScale: timeScale, forceNew: true))
        do {
            _ = try await SignalCancellation.run { try await collector.run(events: printer.handle) }
        } catch {
            await trainer.stop()
            if SignalCancellation.wasInterrupted { throw ExitCode(130) }
            throw error
        }
        await trainer.stop()

        let output = try ReportWriter(store: BenchStore(path: database)).write(to: dir)
        print("")
        print(Self.headline(output.report))
        print("\nreports:")
        for file in output.files { print("  \(file)") }
    }

    static func headline(_ report: BaselineReport) -> String {
        let good = report.successful
        var lines = ["\(good.count)/\(report.metrics.count) jobs succeeded"]
        for row in report.typeRows() {
            let ms = row.duration.mean * 60_000
            lines.append("  \(row.jobType): \(row.duration.count) jobs, mean \(PythonRounding.format(ms, places: 0)) ms, "
                         + "p95 \(PythonRounding.format(row.duration.p95 * 60_000, places: 0)) ms")
        }
        let cost = SummaryStatistics(good.map(\.costEstimate))?.sum ?? 0
        lines.append("estimated cost at the plan's prices: $\(PythonRounding.format(cost, places: 4))")
        return lines.joined(separator: "\n")
    }
}
