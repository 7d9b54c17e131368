import ArgumentParser
import BenchAgent
import BenchCoordinator
import BenchCore
import BenchObservability
import BenchStore
import BenchTLS
import Foundation
import Logging

/// `mmmbench coordinator`: runs a distributed collection; agents on other hosts connect to it.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run a distributed collection: hand jobs to agents over mutual TLS, commit every result.",
        discussion: """
            On an empty database the collection is created from --plan (or the seed's defaults); on an existing one \
            it is resumed: done jobs are never rerun, attempts still running keep their leases so that reconnecting \
            agents re-attach to them, pacing continues from stored times. A different plan is refused unless --new.
            Agents authenticate with certificates from the same CA (mmmbench certs); their identity is the \
            certificate's name, optionally restricted with --allow-agent.
            Prints `coordinator listening on HOST:PORT` once bound (the real port with PORT 0), then one line per \
            event (agents connecting and leaving, leases expiring, refused results, day gaps; one per result at \
            --log-level info). On a terminal a live line shows done/total, in flight, agents, failures and ETA.
            With a plan whose checks.run is before, after or both, it also runs the optimization test suite through \
            its agents (before the first job, after the last, or both; docs/checks.md), the rollback check on this \
            host (script path relative to the working directory), and stores the outcomes in the database.
            When every job is done it drains the agents, writes the reports (and test_report_before/after.md, \
            .junit.xml, .json) to --report-dir and exits 0. \
            SIGINT/SIGTERM: no new assignments, results already received are committed and acknowledged (at most \
            5 s), agents get bye; exit 130. Run the same command again to resume.
            SIGHUP: re-read --cert, --key, --ca and --crl; new connections use them, connected agents and the \
            collection go on (a file that does not load is logged and the previous ones are kept).
            Exit status: 0 complete, 130 interrupted, 1 error.
            """
    )

    @Option(help: "Address to listen on, HOST:PORT (PORT 0 picks a free port; 0.0.0.0 for every interface).")
    var listen: String

    @Option(help: "SQLite database of the collection (created if missing).")
    var db: String

    @Option(help: "Plan file (YAML or JSON). Without it: the database's plan, or the seed's defaults.")
    var plan: String?

    @OptionGroup(title: "Mutual TLS")
    var tls: TLSOptions<CoordinatorTLSRole>

    @Option(name: .customLong("allow-agent"), parsing: .singleValue,
            help: "Accept only this agent name (certificate CN); repeat for more. Default: any agent of the CA.")
    var allowAgents: [String] = []

    @Option(name: .customLong("report-dir"), help: "Write the reports here when the collection completes.")
    var reportDir: String?

    @Option(name: .customLong("time-scale"), parsing: .unconditional,
            help: "Multiply the plan's job and day gaps by this factor (e.g. 0.01 for tests); 1 is real time.")
    var timeScale: Double = 1

    @Flag(help: "Start a new collection even if the database holds one with another plan.")
    var new = false

    @Option(name: .customLong("lease-seconds"), parsing: .unconditional,
            help: "An attempt's lease after its agent's last sign of life; then the job is dispatched again.")
    var leaseSeconds: Double = 30

    @Option(name: .customLong("heartbeat-interval-ms"), parsing: .unconditional, help: "Heartbeat interval, both ways.")
    var heartbeatIntervalMS: Int = 2_000

    @Option(name: .customLong("heartbeat-timeout-ms"), parsing: .unconditional,
            help: "Silence after which an agent's connection is closed (its attempts keep their leases).")
    var heartbeatTimeoutMS: Int = 10_000

    @Option(name: .customLong("hello-timeout-seconds"), parsing: .unconditional,
            help: "Time a connection has to say hello after its TLS handshake; then it is closed (default 10).")
    var helloTimeoutSeconds: Double = 10

    @Option(name: .customLong("check-target"),
            help: "What the test reports name as the checked trainer (the agents' --trainer-url).")
    var checkTarget: String = "the agents' trainer"

    @Option(name: .customLong("check-min-agents"), parsing: .unconditional,
            help: "Agents that must be connected before the test suite's first check (default 1).")
    var checkMinAgents: Int = 1

    @Option(name: .customLong("log-level"),
            help: "trace, debug (also assignments), info (one line per result), notice (events only), warning...")
    var logLevel: String = "info"

    @Option(help: "PEM certificate revocation list of the CA: agents whose certificate it lists are refused.")
    var crl: String?

    @Option(name: .customLong("http"),
            help: ArgumentHelp(Self.httpHelp))
    var http: String?

    static let httpHelp = "Serve the live status (/, /status, /metrics) on HOST:PORT (off by default): plain HTTP "
        + "on a loopback address, mutual TLS with --cert/--key/--ca on any other."

    @Flag(name: .customLong("http-tls"), help: "Serve --http with mutual TLS on a loopback address too.")
    var httpTLS = false

    @Option(name: .customLong("log-format"), help: "text (default) or json (one JSON object a line).")
    var logFormat: String = LogFormat.text.rawValue

    func validate() throws {
        _ = try HostPort(listen, option: "--listen", listening: true)
        if let http { _ = try HostPort(http, option: "--http", listening: true) }
        if httpTLS && http == nil { throw ValidationError("--http-tls needs --http HOST:PORT") }
        guard LogFormat(rawValue: logFormat) != nil else {
            throw ValidationError("--log-format must be text or json, got '\(logFormat)'")
        }
        guard timeScale.isFinite, timeScale >= 0 else { throw ValidationError("--time-scale must be >= 0") }
        guard leaseSeconds.isFinite, leaseSeconds > 0 else {
            throw ValidationError("--lease-seconds must be a number of seconds > 0, got \(leaseSeconds)")
        }
        guard heartbeatIntervalMS >= 1 else { throw ValidationError("--heartbeat-interval-ms must be >= 1") }
        guard heartbeatTimeoutMS >= 1 else { throw ValidationError("--heartbeat-timeout-ms must be >= 1") }
        guard helloTimeoutSeconds.isFinite, helloTimeoutSeconds > 0 else {
            throw ValidationError("--hello-timeout-seconds must be a number of seconds > 0, got \(helloTimeoutSeconds)")
        }
        guard checkMinAgents >= 1 else { throw ValidationError("--check-min-agents must be >= 1") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        do {
            try makeConfiguration(plan: nil).validate()
        } catch {
            throw ValidationError(error.operatorText)
        }
        for name in allowAgents {
            do {
                try CertificateAuthority.validateAgentName(name)
            } catch {
                throw ValidationError("--allow-agent \(name): \(error.reason)")
            }
        }
    }

    func makeConfiguration(plan: Plan?) throws -> CoordinatorConfiguration {
        let address = try HostPort(listen, option: "--listen", listening: true)
        let (host, port) = (address.host, address.port)
        return CoordinatorConfiguration(
            host: host, port: port, databasePath: db, plan: plan, tls: tls.configuration(crlPath: crl), allowedAgents: Set(allowAgents),
            reportDirectory: reportDir, timeScale: timeScale, forceNew: new, leaseSeconds: leaseSeconds,
            heartbeatIntervalMS: heartbeatIntervalMS, heartbeatTimeoutMS: heartbeatTimeoutMS,
            helloTimeoutSeconds: helloTimeoutSeconds,
            localCheckRunner: { task in try await CheckRunner.runLocally(task, host: "coordinator") },
            checkTarget: checkTarget, minCheckAgents: checkMinAgents)
    }

    func run() async throws {
        try CrashPointArming.armFromEnvironment()
        let plan = try plan.map(PlanLoader.load(fileAt:))
        var configuration = try makeConfiguration(plan: plan)
        configuration.tlsReloadTrigger = ReloadSignal.install()
        let format = LogFormat(rawValue: logFormat) ?? .text
        let console = format == .json ? CoordinatorConsole(isTerminal: false, format: .json) : CoordinatorConsole()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let logger = Logger(label: "mmmbench.coordinator") { label in console.logHandler(label: label, level: level) }
        let statusServer = http.map { _ in StatusServer(databasePath: db) }
        configuration.metrics = statusServer?.metrics
        let statusTask = try startStatusServer(statusServer, tls: configuration, logger: logger)
        defer { statusTask?.cancel() }
        let coordinator = Coordinator(configuration: configuration, logger: logger, onProgress: { progress in
            console.progress(progress)
            statusServer?.update(progress)
        })
        let status: CollectionStatus
        do {
            status = try await SignalCancellation.run(announce: SignalCancellation.announcer(format, logger)) {
                try await coordinator.run()
            }
        } catch where SignalCancellation.wasInterrupted {
            console.finish()
            throw ExitCode(130)
        } catch {
            console.finish()
            logger.error("coordinator stopped: \(error)")
            throw ExitCode(1)
        }
        console.finish()
        let summary = "done: \(status.done)/\(status.total) jobs, \(status.failedMeasurements) failed measurements, "
            + "\(status.harnessErrors) harness errors, \(status.redispatched) re-dispatched"
            + (reportDir.map { "; reports in \($0)" } ?? "")
        logger.notice("\(summary)")
    }
}

extension CoordinatorCommand {
    /// Starts `--http`'s status server in a task; it logs `status page listening on http(s)://HOST:PORT` once bound.
    /// Off loopback (or with --http-tls) it serves mutual TLS with the coordinator's certificate, key, CA and CRL,
    /// re-read on SIGHUP as the agents' listener does.
    func startStatusServer(_ server: StatusServer?, tls configuration: CoordinatorConfiguration, logger: Logger)
        throws -> Task<Void, Never>? {
        guard let server, let http else { return nil }
        let address = try HostPort(http, option: "--http", listening: true)
        let (host, port) = (address.host, address.port)
        var security = HTTPEndpoint.Security.plain
        if httpTLS || !HTTPEndpoint.isLoopback(host) {
            let contexts = try ReloadableTLSContext(configuration: configuration.tls, role: .server)
            _ = configuration.tlsReloadTrigger?.subscribe { _ = contexts.reload() }
            security = .mutualTLS { contexts.current }
        }
        return Task { [security] in
            do {
                try await server.run(host: host, port: port, security: security, logger: logger) { bound in
                    logger.notice("status page listening on \(security.scheme)://\(host):\(bound)")
                }
            } catch {
                logger.error("status page on \(http) stopped: \(error)")
            }
        }
    }
}

extension Error {
    /// The description of a typed mmmbench error without the type name.
    fileprivate var operatorText: String {
        (self as? CoordinatorError)?.description ?? String(describing: self)
    }
}
