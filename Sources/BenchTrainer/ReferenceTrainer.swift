import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// The reference MMM trainer: an HTTP service with the trainer API (`POST /train`, `GET /health` and the
/// optimization-check endpoints) that does real MMM fitting work, with optional fault injection.
///
/// ```swift
/// let trainer = ReferenceTrainer(configuration: TrainerConfiguration(workScale: 0.01), logger: logger)
/// let port = try await trainer.start()      // bound on 127.0.0.1:port, warm
/// ...                                       // POST http://127.0.0.1:\(port)/train
/// await trainer.stop()
/// ```
///
/// Before it binds, `start()` generates and caches the datasets of the default countries and runs a warm-up fit,
/// so `/health` reports them warm from the first request. Fits run on a dedicated thread pool of
/// `configuration.fitThreads` threads.
public final class ReferenceTrainer: Sendable {
    private enum Phase {
        case idle
        case starting
        case running(server: Task<Void, Never>, group: ServiceGroup, services: TrainerServices, port: Int)
        case stopped
    }

    private let configuration: TrainerConfiguration
    private let logger: Logger
    private let phase = NIOLockedValueBox<Phase>(.idle)

    /// A trainer that does nothing until `start()` or `run(onListening:)`.
    public init(configuration: TrainerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The bound port while running, nil otherwise.
    public var port: Int? {
        phase.withLockedValue { phase in
            if case .running(_, _, _, let port) = phase { return port }
            return nil
        }
    }

    /// Warms up, then starts serving; returns once the socket is bound, with the actual port.
    /// A trainer starts at most once; after `stop()` make a new one.
    public func start() async throws -> Int {
        try validateConfiguration()
        let wasIdle = phase.withLockedValue { phase -> Bool in
            guard case .idle = phase else { return false }
            phase = .starting
            return true
        }
        guard wasIdle else {
            throw TrainerError(.alreadyStarted, operation: "start", reason: "a trainer starts only once")
        }
        let services: TrainerServices
        do {
            services = try TrainerServices(configuration: configuration, logger: logger)
        } catch {
            phase.withLockedValue { $0 = .idle }
            throw error
        }
        services.executor.start()
        services.usage.start()
        do {
            try await warmUp(services)
            let (server, group, port) = try await serve(services)
            let stillWanted = phase.withLockedValue { phase -> Bool in
                guard case .starting = phase else { return false }
                phase = .running(server: server, group: group, services: services, port: port)
                return true
            }
            guard stillWanted else {
                await shutDown(server: server, group: group, services: services)
                throw CancellationError()
            }
            services.warm.markWarm(.containerReady)
            logger.info("trainer listening", metadata: ["address": "\(configuration.host):\(port)"])
            return port
        } catch {
            services.usage.stop()
            await services.executor.shutdown()
            phase.withLockedValue { phase in
                if case .starting = phase { phase = .idle }
            }
            throw error
        }
    }

    /// Stops serving: closes the listener and open connections, interrupts running fits and waits for the worker
    /// threads. Safe to call more than once.
    public func stop() async {
        let previous = phase.withLockedValue { phase -> Phase in
            defer { phase = .stopped }
            return phase
        }
        guard case .running(let server, let group, let services, _) = previous else { return }
        await shutDown(server: server, group: group, services: services)
    }

    /// Starts, calls `onListening` with the bound port, then serves until SIGINT or SIGTERM arrives or the calling
    /// task is cancelled, and stops.
    public func run(onListening: @Sendable (Int) -> Void = { _ in }) async throws {
        let port = try await start()
        onListening(port)
        await TerminationSignals.wait()
        logger.info("trainer stopping")
        await stop()
    }

    private func validateConfiguration() throws(TrainerError) {
        func invalid(_ reason: String) -> TrainerError {
            TrainerError(.invalidConfiguration, operation: "configure trainer", reason: reason)
        }
        guard !configuration.host.isEmpty else { throw invalid("host must not be empty") }
        guard (0...65_535).contains(configuration.port) else { throw invalid("port must be in 0...65535") }
        guard configuration.workScale.isFinite, configuration.workScale > 0, configuration.workScale <= 100 else {
            throw invalid("work scale must be in (0, 100], got \(configuration.workScale)")
        }
        guard configuration.fitThreads >= 1 else { throw invalid("fit threads must be >= 1") }
        guard configuration.bootstrapResamples >= 0 else { throw invalid("bootstrap resamples must be >= 0") }
    }

    /// Generates the default countries' datasets and runs one warm-up fit, unless a `cold=` fault says not to.
    private func warmUp(_ services: TrainerServices) async throws {
        let cold = configuration.faults.coldComponents
        let datasets = services.datasets
        let settings = SearchSettings(workScale: 1, bootstrapResamples: services.searchSettings.bootstrapResamples)
        let measured = try await services.executor.run { shouldStop -> (datasets: Bool, solver: Bool) in
            if !cold.contains(.datasets) {
                for country in DatasetCache.defaultCountries {
                    _ = datasets.dataset(country: country, variables: .seedDefault)
                }
            }
            guard !cold.contains(.solver) else { return (!cold.contains(.datasets), false) }
            let warmUpData = SyntheticDataset(country: "warm-up", variables: .seedDefault)
            _ = try MMMFitter.fit(
                dataset: warmUpData, iterations: 2, trials: 1, settings: settings, shouldStop: shouldStop)
            return (!cold.contains(.datasets), true)
        }
        if measured.value.datasets { services.warm.markWarm(.datasets) }
        if measured.value.solver { services.warm.markWarm(.solver) }
        logger.debug(
            "trainer warm", metadata: ["seconds": "\(measured.runSeconds)", "cold": "\(cold.map(\.rawValue))"])
    }

    /// Starts the HTTP server in a task and waits until it is bound (or failed to bind).
    ///
    /// The application runs in a service group of its own so that `stop()` is a graceful shutdown: the listener
    /// closes and every connection it accepted is served or closed by Hummingbird. Cancelling the serving task
    /// instead trapped when a connection had been accepted but not yet handed over ("Deinited NIOAsyncWriter
    /// without calling finish()", swift-nio issue 3481: it took the whole test process down once in CI). A request
    /// still running a second later (a hanging `/train`) is then cancelled, as before.
    private func serve(_ services: TrainerServices) async throws -> (Task<Void, Never>, ServiceGroup, Int) {
        let (bound, boundContinuation) = AsyncStream.makeStream(of: Int.self)
        let failure = NIOLockedValueBox<String?>(nil)
        // Hummingbird logs the cancellation that ends a hanging request at `stop()` as an error ("Waiting on child
        // channel: CancellationError()"), and the service group logs its shutdown; their own failures reach us as
        // errors thrown by `run()`, so keep their logs quiet unless the caller asked for debug output.
        var serverLogger = logger
        if logger.logLevel > .debug { serverLogger.logLevel = .critical }
        let app = Application(
            router: TrainerRouter.make(services: services),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "mmmbench-trainer"
            ),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port { boundContinuation.yield(port) }
                boundContinuation.finish()
            },
            logger: serverLogger
        )
        var groupConfiguration = ServiceGroupConfiguration(services: [app], logger: serverLogger)
        groupConfiguration.maximumGracefulShutdownDuration = Self.shutdownGrace
        let group = ServiceGroup(configuration: groupConfiguration)
        let server = Task {
            do {
                try await group.run()
            } catch {
                failure.withLockedValue { $0 = "\(error)" }
            }
            boundContinuation.finish()
        }
        for await port in bound {
            return (server, group, port)
        }
        server.cancel()
        await server.value
        throw TrainerError(
            .server, operation: "bind \(configuration.host):\(configuration.port)",
            reason: failure.withLockedValue { $0 } ?? "the server stopped before it was bound")
    }

    /// How long a graceful stop waits for requests still running before it cancels them.
    static let shutdownGrace: Duration = .seconds(1)

    private func shutDown(server: Task<Void, Never>, group: ServiceGroup, services: TrainerServices) async {
        services.warm.markCold(.containerReady)
        await group.triggerGracefulShutdown()
        await server.value
        services.usage.stop()
        await services.executor.shutdown()
        logger.info("trainer stopped")
    }
}
