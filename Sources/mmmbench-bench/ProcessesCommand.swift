import ArgumentParser
import Foundation

/// `mmmbench-bench processes`: jobs/s of separate `mmmbench coordinator` and `mmmbench agent` processes, as operators
/// run them.
struct ProcessesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "processes",
        abstract: "Jobs/s of real coordinator and agent processes (the operator's topology), end to end and dispatch.",
        discussion: """
            Starts the `mmmbench` executable next to this one (build both with -c release: swift build -c release \
            --product mmmbench && swift build -c release --product mmmbench-bench) as one coordinator \
            (--log-level notice) and --agents agents with --slots slots each, over mutual TLS on 127.0.0.1, with a \
            one-day plan of --jobs jobs and no gaps; the trainer is a fixed-200 HTTP endpoint in this process (as \
            nginx answering POST /train). Prints, per run and as the median of --runs: jobs/s from the coordinator's \
            start to its exit (every result committed with synchronous=FULL before its ack), jobs/s between the \
            first trainer call and the last, and the CPU seconds of the coordinator, each agent and the endpoint. \
            Mode dispatch starts the agents with --no-trainer. Run on a quiet machine.
            """
    )

    @Option(help: "Jobs of the one-day plan.")
    var jobs = 20_000

    @Option(help: "Agent processes.")
    var agents = 2

    @Option(help: "Slots per agent (the plan's max_in_flight is agents x slots).")
    var slots = 64

    @Option(help: "Runs of each mode (the median is reported).")
    var runs = 3

    @Option(help: "Which modes to run: both, end-to-end or dispatch (agents with --no-trainer).")
    var mode = DistributedBench.Mode.both

    @Option(help: "The mmmbench executable (default: the one next to this benchmark).")
    var mmmbench: String?

    func validate() throws {
        guard jobs > 0, agents > 0, slots > 0, runs > 0 else {
            throw ValidationError("--jobs, --agents, --slots and --runs must be positive")
        }
        if let mmmbench, !FileManager.default.isExecutableFile(atPath: mmmbench) {
            throw ValidationError("--mmmbench \(mmmbench) is not an executable file")
        }
    }

    func run() async throws {
        let executable = mmmbench ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("mmmbench").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchmarkFailure("no mmmbench executable at \(executable): build it (-c release) or pass --mmmbench")
        }
        let modes: [Bool] = switch mode {
        case .both: [false, true]
        case .endToEnd: [false]
        case .dispatch: [true]
        }
        print("\(jobs) jobs, \(agents) agent processes x \(slots) slots, one coordinator process, synchronous=FULL, "
              + "median of \(runs); \(executable)")
        for dispatchOnly in modes {
            var reports: [ProcessesBenchmark.Report] = []
            let label = dispatchOnly ? "dispatch only (agents --no-trainer)" : "end-to-end (fixed-200 endpoint)"
            for _ in 0..<runs {
                let report = try await ProcessesBenchmark.run(jobs: jobs, agents: agents, slots: slots,
                                                              dispatchOnly: dispatchOnly, executable: executable)
                reports.append(report)
                let agentsCPU = report.agentCPUSeconds.map { String(format: "%.2f", $0) }.joined(separator: " + ")
                print(String(format: "  %@: %.2f s start to exit = %.0f jobs/s; first to last result %.0f jobs/s; "
                             + "CPU s: coordinator %.2f, agents %@, endpoint %.2f", label, report.seconds,
                             report.jobsPerSecond, report.resultJobsPerSecond, report.coordinatorCPUSeconds,
                             agentsCPU, report.endpointCPUSeconds))
                print(String(format: "    phases: listening %.2f s after start, first trainer call %.2f s, results "
                             + "%.2f s, exit %.2f s after the last result", report.listeningSeconds,
                             report.firstResultSeconds, report.resultSpanSeconds, report.afterLastResultSeconds))
            }
            let median = reports.sorted { $0.jobsPerSecond < $1.jobsPerSecond }[reports.count / 2]
            print(String(format: "%@: median %.0f jobs/s start to exit (%.0f jobs/s first to last result), "
                         + "separate processes", label, median.jobsPerSecond, median.resultJobsPerSecond))
        }
    }
}
