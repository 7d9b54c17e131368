import ArgumentParser
import BenchAgent
import BenchObservability
import BenchTLS
import Foundation
import Logging

/// `mmmbench agent`: runs jobs for a coordinator, on this host, until the coordinator drains it.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run jobs for a coordinator: connect over mutual TLS, run assigned jobs, deliver every result.",
        discussion: """
            Connects to the coordinator (verifying that its certificate names the host dialled, or --server-name), \
            runs up to --slots assigned jobs at once against the trainer and writes every result to the outbox \
            file (fsynced) before sending it; a result leaves the outbox only when the coordinator acknowledges it. \
            A lost connection is retried with exponential backoff and jitter (0.5 s doubling to 30 s, ±20 %) while \
            running jobs go on; after reconnecting the agent re-attaches them and resends unacknowledged results. \
            Start the agent again with the same --outbox after a crash and it resends what was never acknowledged.
            Log lines go to stdout, one per event: `agent NAME connected to HOST:PORT` once welcomed.
            The agent checks the trainer's GET /health before it connects and whenever a job cannot connect to the \
            trainer: while the trainer cannot be reached it says so to the coordinator (which sends it no work and \
            lists it in `mmmbench status`), reports a job that found no trainer as a harness failure (never a \
            measurement) and checks /health every 5 s until it answers.
            --no-trainer answers every job at once with a synthetic success (zero duration) without calling the \
            trainer: it measures the coordinator's dispatch capacity, not the trainer.
            By default the agent keeps reconnecting for as long as it runs (as a daemon does); --give-up-after \
            SECONDS makes it exit 1 after that long without a session (since its start or its last session), for \
            scripted deployments whose coordinator may be gone for good.
            SIGHUP: re-read --cert, --key and --ca; the next connection uses them, the running session goes on.
            Exit status: 0 drained by the coordinator, 1 error (e.g. rejected as not_allowed, or no session for \
            --give-up-after seconds), 130 interrupted (SIGINT/SIGTERM: says bye; the outbox keeps unacknowledged \
            results).
            """
    )

    @Option(help: "The coordinator, HOST:PORT.")
    var coordinator: String

    @OptionGroup(title: "Mutual TLS")
    var tls: TLSOptions<AgentTLSRole>

    @Option(name: .customLong("trainer-url"), help: "Base URL of the trainer, e.g. http://127.0.0.1:8080.")
    var trainerURL: String?

    @Option(parsing: .unconditional, help: "Jobs run at once.")
    var slots: Int = 1

    @Option(help: "Labels for job routing, k=v,k2=v2.")
    var labels: String?

    @Option(help: "Outbox file (SQLite) holding unacknowledged results (default: ./<agent name>.outbox.sqlite).")
    var outbox: String?

    @Option(name: .customLong("server-name"),
            help: "Name the coordinator's certificate must carry (default: the HOST of --coordinator).")
    var serverName: String?

    @Option(help: "The agent's name in hello and in measurements (default: its certificate's CN).")
    var name: String?

    @Flag(name: .customLong("no-trainer"),
          help: "Answer every job at once with a synthetic success, without calling the trainer (dispatch benchmark).")
    var noTrainer = false

    @Option(name: .customLong("give-up-after"), parsing: .unconditional,
            help: "Exit 1 after this many seconds without a session with the coordinator (default: keep trying).")
    var giveUpAfter: Double?

    @Option(name: .customLong("log-level"),
            help: "trace, debug, info (one line per job), notice (connections only), warning, error or critical.")
    var logLevel: String = "info"

    @Option(name: .customLong("log-format"), help: "text (default) or json (one JSON object a line).")
    var logFormat: String = LogFormat.text.rawValue

    @Option(name: .customLong("http"),
            help: "Serve the agent's /metrics (Prometheus) on this loopback HOST:PORT (off by default).")
    var http: String?

    func validate() throws {
        _ = try HostPort(coordinator, option: "--coordinator", listening: false)
        guard LogFormat(rawValue: logFormat) != nil else {
            throw ValidationError("--log-format must be text or json, got '\(logFormat)'")
        }
        if let http {
            let host = try HostPort(http, option: "--http", listening: true).host
            guard HTTPEndpoint.isLoopback(host) else {
                throw ValidationError("--http \(host): the agent serves /metrics on a loopback address only (its "
                    + "certificate is for TLS clients, so it cannot serve mutual TLS); scrape it from the same host "
                    + "or through an SSH tunnel")
            }
        }
        _ = try Self.parseLabels(labels)
        guard (1...10_000).contains(slots) else { throw ValidationError("--slots must be 1...10000") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        if let outbox, outbox.isEmpty { throw ValidationError("--outbox must not be empty") }
        if let giveUpAfter, !(giveUpAfter > 0 && giveUpAfter <= 31_536_000) {
            throw ValidationError("--give-up-after must be a number of seconds in (0, 31536000]")
        }
        if noTrainer { return }
        guard let trainerURL else { throw ValidationError("--trainer-url is required (or --no-trainer)") }
        guard let url = URL(string: trainerURL), let scheme = url.scheme, ["http", "https"].contains(scheme),
              url.host != nil
        else { throw ValidationError("--trainer-url must be an http(s) URL, got '\(trainerURL)'") }
    }

    func run() async throws {
        try CrashPointArming.armFromEnvironment()
        let address = try HostPort(coordinator, option: "--coordinator", listening: false)
        let (host, port) = (address.host, address.port)
        var configuration = AgentConfiguration(
            coordinatorHost: host, coordinatorPort: port, serverName: serverName, tls: tls.configuration(),
            trainerURL: noTrainer ? nil : trainerURL, slots: slots, labels: try Self.parseLabels(labels),
            outboxPath: outbox ?? "", agentID: name, skipTrainer: noTrainer,
            giveUpAfter: giveUpAfter.map { .milliseconds(Int64(($0 * 1000).rounded(.up))) })
        configuration.tlsReloadTrigger = ReloadSignal.install()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let format = LogFormat(rawValue: logFormat) ?? .text
        var logger = Logger(label: "mmmbench.agent") { label in
            switch format {
            case .text: LineLogHandler(level: level)
            case .json: JSONLogHandler(label: label, logLevel: level) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
            }
        }
        let probe = Agent(configuration: configuration, logger: logger)
        logger[metadataKey: JSONLogLine.Keys.agent] = .string(probe.name())
        if outbox == nil { configuration.outboxPath = "\(probe.name()).outbox.sqlite" }
        let metrics = http.map { _ in AgentMetrics() }
        configuration.metrics = metrics
        if let metrics { configuration.wire.traffic = metrics.traffic }
        let agent = Agent(configuration: configuration, logger: logger, events: { event in metrics?.observe(event) })
        let metricsTask = try startMetricsServer(metrics, logger: logger)
        defer { metricsTask?.cancel() }
        let trainerText = noTrainer ? "no trainer (synthetic results)" : "trainer \(trainerURL ?? "")"
        let outboxPath = configuration.outboxPath
        let start = "agent \(agent.name()) starting: coordinator \(configuration.coordinatorAddress), "
            + "\(slots) slot(s), outbox \(outboxPath), \(trainerText)"
        logger.notice("\(start)")
        do {
            try await SignalCancellation.run(announce: SignalCancellation.announcer(format, logger)) {
                try await agent.run()
            }
        } catch where SignalCancellation.wasInterrupted {
            logger.notice("agent \(agent.name()) interrupted: unacknowledged results stay in \(outboxPath)")
            throw ExitCode(130)
        } catch let error as AgentError {
            logger.error("agent \(agent.name()) stopped: \(error.description)")
            throw ExitCode(1)
        }
        logger.notice("agent \(agent.name()) finished: drained by the coordinator")
    }

    /// Parses `k=v,k2=v2` (keys non-empty and unique; values may be empty).
    static func parseLabels(_ text: String?) throws -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var labels: [String: String] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            guard parts.count == 2, !key.isEmpty else {
                throw ValidationError("--labels must be k=v,k2=v2, got '\(item)'")
            }
            guard labels[key] == nil else { throw ValidationError("--labels repeats the key '\(key)'") }
            labels[key] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        return labels
    }
}

extension AgentCommand {
    /// Starts `--http`'s /metrics server in a task; it logs `metrics listening on http://HOST:PORT` once bound.
    func startMetricsServer(_ metrics: AgentMetrics?, logger: Logger) throws -> Task<Void, Never>? {
        guard let metrics, let http else { return nil }
        let address = try HostPort(http, option: "--http", listening: true)
        let (host, port) = (address.host, address.port)
        return Task {
            do {
                try await HTTPEndpoint.runMetrics(
                    host: host, port: port, security: .plain, serverName: "mmmbench-agent", logger: logger,
                    render: { metrics.render() },
                    onListening: { bound in logger.notice("metrics listening on http://\(host):\(bound)") })
            } catch {
                logger.error("metrics on \(http) stopped: \(error)")
            }
        }
    }

    /// Plain log lines on stdout, flushed one by one: `TIMESTAMP LEVEL message key=value ...`.
    struct LineLogHandler: LogHandler {
        var logLevel: Logger.Level
        var metadata: Logger.Metadata = [:]

        init(level: Logger.Level) {
            logLevel = level
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var line = "\(Date().formatted(.iso8601)) \(event.level) \(event.message)"
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            for key in merged.keys.sorted() {
                if let value = merged[key] { line += " \(key)=\(value)" }
            }
            line += "\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}
