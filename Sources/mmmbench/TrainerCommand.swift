import ArgumentParser
import BenchTrainer
import Foundation
import Logging

/// `mmmbench trainer`: runs the reference MMM trainer until SIGINT or SIGTERM.
struct TrainerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainer",
        abstract: "Run the reference MMM trainer (POST /train, GET /health, the check endpoints).",
        discussion: """
            Prints `trainer listening on http://HOST:PORT` on stdout once bound (with the real port when PORT \
            is 0), then serves until SIGINT or SIGTERM. Faults (--fault, repeatable):
            \(TrainerFaults.specs.map { "  \($0.spec.padding(toLength: 26, withPad: " ", startingAt: 0))\($0.effect)" }
                .joined(separator: "\n"))
            """
    )

    @Option(help: "Address to listen on, HOST:PORT (PORT 0 picks a free port).")
    var listen: String = "127.0.0.1:8080"

    @Option(name: .customLong("work-scale"), parsing: .unconditional,
            help: "Multiplies the search work; 0.01 for demos and tests.")
    var workScale: Double = 1.0

    @Option(name: .customLong("data-scale"), parsing: .unconditional,
            help: "Multiplies the rows of the data-processing endpoint's sizes (small: 20,000); 0.1 for tests.")
    var dataScale: Double = 1.0

    @Flag(help: "Answer /train at once after validating, without fitting (dispatch benchmarks).")
    var instant = false

    @Option(name: .customLong("fault"), parsing: .upToNextOption, help: "Inject a fault (see above).")
    var faults: [String] = []

    @Option(name: .customLong("request-log"), help: "Append one JSON line per /train request to this file.")
    var requestLog: String?

    @Option(parsing: .unconditional, help: "Bootstrap refits per search candidate (the per-candidate cost).")
    var resamples: Int = TrainerConfiguration.defaultBootstrapResamples

    @Option(name: .customLong("fit-threads"), parsing: .unconditional,
            help: "Fits that run at once (default: the number of cores).")
    var fitThreads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        _ = try HostPort(listen, option: "--listen", listening: true)
        guard workScale.isFinite, workScale > 0, workScale <= 100 else {
            throw ValidationError("--work-scale must be in (0, 100]")
        }
        guard dataScale.isFinite, dataScale > 0, dataScale <= 100 else {
            throw ValidationError("--data-scale must be in (0, 100]")
        }
        guard resamples >= 0, resamples <= 10_000 else { throw ValidationError("--resamples must be in 0...10000") }
        guard (1...256).contains(fitThreads) else { throw ValidationError("--fit-threads must be in 1...256") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        do {
            _ = try TrainerFaults.parse(faults)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let address = try HostPort(listen, option: "--listen", listening: true)
        let (host, port) = (address.host, address.port)
        var configuration = TrainerConfiguration(
            host: host, port: port, workScale: workScale, instant: instant,
            faults: try TrainerFaults.parse(faults), requestLogPath: requestLog)
        configuration.bootstrapResamples = resamples
        configuration.dataScale = dataScale
        configuration.fitThreads = fitThreads
        var logger = Logger(label: "mmmbench.trainer") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let trainer = ReferenceTrainer(configuration: configuration, logger: logger)
        try await trainer.run { boundPort in
            print("trainer listening on http://\(host):\(boundPort)")
            fflush(nil)
        }
    }
}
