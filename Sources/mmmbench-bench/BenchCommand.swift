import ArgumentParser

/// `mmmbench-bench`: the benchmarks whose figures the closing notes quote. Build in release:
/// `swift run -c release mmmbench-bench <name>`.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mmmbench-bench",
        abstract: "Benchmarks of mmmbench's parts (run with -c release on a quiet machine).",
        subcommands: [WireBench.self, TLSBench.self, DistributedBench.self, IdleAgentsBench.self, CodecBench.self]
    )
}

/// Round-trip messages per second over one mutually authenticated TLS connection.
struct WireBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wire",
        abstract: "Round trips per second of ~200-byte JSON messages over one TLS connection (ping-pong and pipelined)."
    )

    @Option(help: "Ping-pong round trips (one message in flight).")
    var pingPong = 20_000

    @Option(help: "Pipelined round trips.")
    var pipelined = 200_000

    @Option(help: "Messages in flight when pipelining.")
    var window = 64

    func run() async throws {
        _ = try await WireBenchmark.run(pingPongRoundTrips: pingPong, pipelinedRoundTrips: pipelined, window: window)
    }
}

/// End-to-end and dispatch-only throughput of a collection through coordinator, agents, mTLS and SQLite.
struct DistributedBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distributed",
        abstract: "Jobs/s committed through coordinator + agents + mTLS + SQLite (instant trainer, then no trainer)."
    )

    @Option(help: "Jobs per run.")
    var jobs = 20_000

    @Option(help: "Agents.")
    var agents = 2

    @Option(help: "Slots per agent.")
    var slots = 64

    @Option(help: "Runs of each mode (the median is reported).")
    var runs = 3

    func run() async throws {
        for skip in [false, true] {
            var rates: [Double] = []
            for _ in 0..<runs {
                let report = try await DistributedBenchmark.run(jobs: jobs, agents: agents, slots: slots,
                                                                skipTrainer: skip)
                rates.append(report.jobsPerSecond)
                print(String(format: "  %@: %d jobs in %.2f s = %.0f jobs/s", skip ? "dispatch only" : "end-to-end",
                             report.jobs, report.seconds, report.jobsPerSecond))
            }
            let median = rates.sorted()[rates.count / 2]
            let mode = skip ? "coordinator dispatch capacity (agents skip the trainer)"
                : "end-to-end (instant trainer, \(agents) agents x \(slots) slots)"
            print(String(format: "%@: median %.0f jobs/s committed (synchronous=FULL)", mode, median))
        }
    }
}
