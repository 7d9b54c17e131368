import ArgumentParser
import Foundation

/// `mmmbench-bench distributed`: end-to-end and dispatch-only jobs/s through coordinator, agents, mTLS and SQLite.
struct DistributedBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distributed",
        abstract: "Jobs/s committed through coordinator + agents + mTLS + SQLite (with a trainer, then without).",
        discussion: """
            Runs a one-day collection of --jobs jobs in this process: a trainer (--trainer fixed: a fixed-200 HTTP \
            endpoint like ANCHORS.md's nginx; reference: the reference trainer in instant mode) or none, a \
            coordinator with an SQLite database (synchronous=FULL) and --agents agents over mutual TLS on \
            loopback. Prints jobs committed per second, the median of --runs runs per mode, with the parameters \
            and the trainer used. A run with any failed measurement fails the command.
            """
    )

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case both
        case endToEnd = "end-to-end"
        case dispatch
    }

    @Option(help: """
        The end-to-end trainer: fixed (one pre-encoded 200, comparable to ANCHORS.md) or reference (instant \
        reference trainer).
        """)
    var trainer = DistributedBenchmark.Trainer.fixed

    @Option(help: "Jobs per run.")
    var jobs = 20_000

    @Option(help: "Agents.")
    var agents = 2

    @Option(help: "Slots per agent.")
    var slots = 64

    @Option(help: "The plan's max_in_flight (default: agents x slots, so every slot can be busy).")
    var maxInFlight: Int?

    @Option(help: "Runs of each mode (the median is reported).")
    var runs = 3

    @Option(help: "Which modes to run: both, end-to-end (with --trainer) or dispatch (agents skip the trainer).")
    var mode = Mode.both

    func validate() throws {
        guard jobs > 0, agents > 0, slots > 0, runs > 0 else {
            throw ValidationError("--jobs, --agents, --slots and --runs must be positive")
        }
        if let maxInFlight, maxInFlight <= 0 { throw ValidationError("--max-in-flight must be positive") }
    }

    func run() async throws {
        let inFlight = maxInFlight ?? agents * slots
        let modes: [Bool] = switch mode {
        case .both: [false, true]
        case .endToEnd: [false]
        case .dispatch: [true]
        }
        print("\(jobs) jobs, \(agents) agents x \(slots) slots, max_in_flight \(inFlight), synchronous=FULL, "
              + "median of \(runs)")
        for skip in modes {
            var rates: [Double] = []
            for _ in 0..<runs {
                let report = try await DistributedBenchmark.run(jobs: jobs, agents: agents, slots: slots,
                                                                maxInFlight: inFlight, skipTrainer: skip,
                                                                trainer: trainer)
                rates.append(report.jobsPerSecond)
                print(String(format: "  %@: %d jobs in %.2f s = %.0f jobs/s",
                             skip ? "dispatch only" : "end-to-end (\(trainer.label))",
                             report.jobs, report.seconds, report.jobsPerSecond))
            }
            let median = rates.sorted()[rates.count / 2]
            let label = skip ? "coordinator dispatch capacity (agents skip the trainer)"
                : "end-to-end (\(trainer.label))"
            print(String(format: "%@: median %.0f jobs/s committed (%d agents x %d slots, max_in_flight %d)", label,
                         median, agents, slots, inFlight))
        }
    }
}

extension DistributedBenchmark.Trainer: ExpressibleByArgument {}
