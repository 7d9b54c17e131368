import ArgumentParser

/// `mmmbench-bench`: the benchmarks whose figures the closing notes quote. Build in release:
/// `swift run -c release mmmbench-bench <name>`.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mmmbench-bench",
        abstract: "Benchmarks of mmmbench's parts (run with -c release on a quiet machine).",
        subcommands: [WireBench.self, TLSBench.self, DistributedBench.self, IdleAgentsBench.self, CodecBench.self,
                      HTMLReportBench.self, OverheadBench.self, ProcessesBench.self,
                      ReportBench.self]
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
