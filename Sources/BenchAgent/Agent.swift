import AsyncHTTPClient
import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire
import Logging

/// An mmmbench agent: connects to the coordinator over mutual TLS, runs the attempts it is assigned (up to its
/// slots) against the trainer, and keeps every result in its on-disk outbox until the coordinator acknowledges it.
///
///     let agent = Agent(configuration: configuration, logger: logger)
///     try await agent.run()   // returns after a drain; throws AgentError or CancellationError
///
/// Connection loss is not an error: running attempts go on, the agent reconnects with exponential backoff and
/// jitter, re-attaches its attempts (`hello.running`) and resends unacknowledged results. A restarted agent with
/// the same outbox resends what was never acknowledged.
public struct Agent: Sendable {
    /// The agent's settings.
    public let configuration: AgentConfiguration
    /// Where log lines go: connection events at `notice`, attempts at `info`/`debug`.
    public let logger: Logger
    /// Called for every ``AgentEvent`` (on arbitrary tasks; keep it quick).
    public let events: @Sendable (AgentEvent) -> Void

    /// Creates an agent; nothing happens until ``run()``.
    public init(
        configuration: AgentConfiguration, logger: Logger, events: @escaping @Sendable (AgentEvent) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.logger = logger
        self.events = events
    }

    /// The name the agent goes by: ``AgentConfiguration/agentID``, else its certificate's CN.
    public func name() -> String {
        if let id = configuration.agentID, !id.isEmpty { return id }
        let identity = try? TLSPeerIdentity(certificateAt: configuration.tls.certificateChainPath)
        return identity?.commonName ?? "agent"
    }

    /// Runs the agent until the coordinator drains it (returns), until it hits an error an operator must fix
    /// (throws ``AgentError``: a `reject` such as `not_allowed`, an unusable configuration, an outbox that cannot be
    /// written), or until the calling task is cancelled (says `bye`, throws `CancellationError`; the outbox keeps
    /// every unacknowledged result).
    public func run() async throws {
        try configuration.validate()
        let tlsContext: ReloadableTLSContext
        do {
            tlsContext = try ReloadableTLSContext(configuration: configuration.tls, role: .client)
        } catch {
            throw AgentError(.configuration, operation: "load TLS certificates", reason: error.description)
        }
        let reloads = configuration.tlsReloadTrigger?.subscribe { [logger] in
            switch tlsContext.reload() {
            case .success(let identity):
                let text = "agent reloaded its TLS files: certificate CN=\(identity.commonName ?? "-") SHA-256 "
                    + "\(identity.fingerprintSHA256); new connections use them"
                logger.notice("\(text)")
            case .failure(let error):
                logger.error("agent TLS reload failed, keeping the previous certificates: \(error)")
            }
        }
        defer { reloads.map { configuration.tlsReloadTrigger?.unsubscribe($0) } }
        let outbox: Outbox
        do {
            outbox = try Outbox(path: configuration.outboxPath)
        } catch {
            throw AgentError(.outbox, operation: "open outbox", reason: error.description)
        }
        let name = name()
        let http = configuration.skipTrainer ? nil : TrainerClient.makeHTTPClient(connections: configuration.slots)
        let trainer = http.map { TrainerClient(baseURL: configuration.trainerURL ?? "", http: $0) }
        let reachability = trainer.map {
            TrainerReachability(client: $0, checkInterval: configuration.trainerCheckInterval, name: name,
                                logger: logger, events: events)
        }
        var runner = AttemptRunner(trainer: trainer, agentName: name)
        runner.reachability = reachability
        runner.metrics = configuration.metrics
        if let metrics = configuration.metrics {
            let waiting = (try? outbox.pendingEntries().filter { !$0.isSettledRefusal }.count) ?? 0
            metrics.outboxOpened(unacknowledged: waiting)
        }
        // Before the first hello: an agent whose trainer cannot be reached says so and takes no work.
        await reachability?.check()
        let monitor = Task { await reachability?.monitor() }
        defer { monitor.cancel() }
        let work: AgentWork
        do {
            work = try AgentWork(outbox: outbox, runner: runner,
                                 slots: configuration.slots, name: name, logger: logger, events: events)
        } catch {
            try? await http?.shutdown()
            throw AgentError(.outbox, operation: "read outbox", reason: error.description)
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await connectLoop(work: work, tlsContext: tlsContext, name: name)
                }
                group.addTask {
                    if let failure = await work.waitForFailure() { throw failure }
                }
                _ = try await group.next()
                group.cancelAll()
            }
            try Task.checkCancellation()
        } catch {
            await work.shutdown()
            try? await http?.shutdown()
            throw error
        }
        await work.shutdown()
        try? await http?.shutdown()
    }

    private func connectLoop(work: AgentWork, tlsContext: ReloadableTLSContext, name: String) async throws {
        var failures = 0
        var generator = SystemRandomNumberGenerator()
        let clock = ContinuousClock()
        // Since when the agent has been without a welcomed session (for `giveUpAfter`).
        var withoutSessionSince = clock.now
        while true {
            let (end, welcomed) = await session(work: work, tlsContext: tlsContext, name: name)
            report(end, name: name)
            if welcomed { withoutSessionSince = clock.now }
            switch end.nextStep(welcomed: welcomed, drainedAndIdle: await work.isDrainedAndIdle) {
            case .finish:
                return
            case .cancelled:
                throw CancellationError()
            case .stop(let code, let rejectCode, let reason):
                throw AgentError(code, operation: "connect to \(configuration.coordinatorAddress)",
                                 rejectCode: rejectCode, reason: reason)
            case .retry(let resetBackoff):
                if resetBackoff { failures = 0 }
                var delay = configuration.backoff.delay(attempt: failures, using: &generator)
                if let giveUpAfter = configuration.giveUpAfter {
                    let remaining = giveUpAfter - withoutSessionSince.duration(to: clock.now)
                    if remaining <= .zero {
                        throw gaveUp(after: giveUpAfter, end: end, work: work)
                    }
                    delay = min(delay, remaining)
                }
                failures += 1
                let waitMS = CoordinatorLinkStateMachine<ContinuousClock.Instant>.milliseconds(delay)
                logger.info("agent \(name) reconnecting in \(waitMS) ms (attempt \(failures))")
                events(.reconnecting(after: delay, attempt: failures))
                try await Task.sleep(for: delay)
            }
        }
    }

    /// The error of an agent that had no session for `giveUpAfter`, with the last failure and what it holds.
    private func gaveUp(after giveUpAfter: Duration, end: SessionEnd, work: AgentWork) -> AgentError {
        let seconds = Double(CoordinatorLinkStateMachine<ContinuousClock.Instant>.milliseconds(giveUpAfter)) / 1000
        let held = (try? work.outbox.pendingTasks().count).map(String.init) ?? "the"
        let last: String
        switch end {
        case .connectFailed(let reason), .lost(let reason), .closedByCoordinator(let reason): last = reason
        case .rejected(let reject): last = "rejected (\(reject.code)): \(reject.reason)"
        default: last = "\(end)"
        }
        return AgentError(
            .noSession, operation: "connect to \(configuration.coordinatorAddress)",
            reason: "no session with the coordinator for \(seconds) s (give-up time); last failure: \(last); "
                + "\(held) unacknowledged result(s) stay in the outbox \(configuration.outboxPath)")
    }

    /// One connection: connect, then run the session.
    private func session(work: AgentWork, tlsContext: ReloadableTLSContext, name: String) async -> (SessionEnd, Bool) {
        let connection: WireConnection
        do {
            connection = try await WireClient.connect(
                host: configuration.coordinatorHost, port: configuration.coordinatorPort,
                tlsContext: tlsContext.current,
                serverHostname: configuration.serverName, configuration: configuration.wire,
                connectTimeout: .nanoseconds(Self.nanoseconds(configuration.connectTimeout)))
        } catch {
            if Task.isCancelled { return (.cancelled, false) }
            return (.connectFailed(reason: "\(error)"), false)
        }
        let session = CoordinatorLink(connection: connection, work: work, configuration: configuration, name: name,
                                   logger: logger, events: events)
        return await session.run()
    }

    private func report(_ end: SessionEnd, name: String) {
        switch end {
        case .drained, .cancelled:
            break
        case .rejected(let reject):
            logger.error("agent \(name) rejected by the coordinator (\(reject.code)): \(reject.reason)")
            events(.rejected(code: reject.code, reason: reject.reason))
        case .closedByCoordinator(let reason):
            logger.notice("agent \(name) disconnected: the coordinator said bye (\(reason))")
            events(.disconnected(reason: "bye: \(reason)"))
        case .lost(let reason):
            logger.warning("agent \(name) disconnected: \(reason)")
            events(.disconnected(reason: reason))
        case .incompatible(let reason):
            logger.error("agent \(name): \(reason)")
        case .connectFailed(let reason):
            logger.warning("agent \(name) cannot connect to \(configuration.coordinatorAddress): \(reason)")
            events(.disconnected(reason: reason))
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        let (seconds, overflow) = parts.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : seconds + parts.attoseconds / 1_000_000_000
    }
}
