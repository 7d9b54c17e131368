import ArgumentParser
import Foundation

/// `mmmbench-bench overhead`: median, p90 and p99 of the timing overhead against the instant reference trainer.
struct OverheadBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overhead",
        abstract: "Timing overhead of collect --concurrency 1 against trainer --instant (duration minus trainer time).",
        discussion: """
            Runs a one-day collection of --jobs jobs (after --warmup jobs that are not counted) with one request at \
            a time through mmmbench collect's code (LocalCollector, SQLite, AsyncHTTPClient) against the reference \
            trainer in instant mode, in this process (in-process) and as `mmmbench trainer --instant` (process), \
            and prints per placement the median, p90 and p99 of overhead_ms: the measured duration_ms minus the \
            trainer's own elapsed_seconds.
            """
    )

    enum Placements: String, ExpressibleByArgument, CaseIterable {
        case both
        case inProcess = "in-process"
        case process
    }

    @Option(help: "Measured jobs per placement.")
    var jobs = 2_000

    @Option(help: "Jobs run first and not counted (connection set-up, caches).")
    var warmup = 100

    @Option(help: "Where the trainer runs: both, in-process or process.")
    var trainer = Placements.both

    @Option(name: .customLong("mmmbench-binary"),
            help: "The mmmbench executable for the process placement (default: mmmbench next to this executable).")
    var mmmbenchBinary: String?

    func validate() throws {
        guard jobs > 0, warmup >= 0 else { throw ValidationError("--jobs must be positive, --warmup not negative") }
    }

    func run() async throws {
        let binary = mmmbenchBinary ?? IdleAgentsBench.siblingExecutable("mmmbench")
        let placements: [OverheadBenchmark.Placement] = switch trainer {
        case .both: [.inProcess, .process]
        case .inProcess: [.inProcess]
        case .process: [.process]
        }
        if placements.contains(.process), !FileManager.default.isExecutableFile(atPath: binary) {
            throw ValidationError("no executable at \(binary): build it with `swift build -c release --product "
                                  + "mmmbench` (or pass --mmmbench-binary PATH)")
        }
        print("\(jobs) jobs after \(warmup) warm-up, concurrency 1, trainer --instant on 127.0.0.1")
        for placement in placements {
            let report = try await OverheadBenchmark.run(jobs: jobs, warmup: warmup, placement: placement,
                                                         mmmbench: binary)
            let o = report.overhead
            print(String(format: "%@: overhead median %.3f ms, p90 %.3f ms, p99 %.3f ms (n %d); duration median "
                         + "%.3f ms, trainer elapsed median %.3f ms", placement.rawValue, o.p50, o.p90, o.p99,
                         o.count, report.duration.p50, report.trainerElapsedMs.p50))
        }
    }
}
