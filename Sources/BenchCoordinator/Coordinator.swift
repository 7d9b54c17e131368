import BenchCore
import BenchJSON
import BenchObservability
import BenchProtocol
import BenchStore
import BenchTLS
import BenchWire
import Foundation
import Logging
import NIOCore

/// The coordinator of a distributed baseline collection: opens (or resumes) the collection in its SQLite
/// database, accepts agents over mutual TLS, hands out jobs with leases and pacing, commits every result before
/// acknowledging it, and writes the reports when every job is done.
///
///     let coordinator = Coordinator(configuration: configuration, logger: logger)
///     let status = try await coordinator.run { port in print("coordinator listening on 127.0.0.1:\(port)") }
///
/// Cancelling the task that runs ``run(onListening:)`` stops the coordinator gracefully: no new assignments,
/// received results are committed and acknowledged (within the shutdown grace), every agent gets `bye`, and `run`
/// throws `CancellationError`. Agents keep their running attempts and re-attach to the next coordinator.
public struct Coordinator: Sendable {
    public let configuration: CoordinatorConfiguration
    public let logger: Logger
    let clock: any CoordinatorClock
    let monotonicClock: MonotonicClock
    let onProgress: @Sendable (CoordinatorProgress) -> Void

    /// - Parameters:
    ///   - configuration: where to listen, the database, the plan, TLS and timing.
    ///   - logger: receives one line per significant event (`notice`), per result (`info`), per assignment
    ///     (`debug`), and problems (`warning`).
    ///   - clock: wall time for leases, pacing and hello deadlines (tests inject a manual one).
    ///   - monotonicClock: heartbeat pacing and silence (tests inject a test clock).
    ///   - onProgress: called every `progressIntervalSeconds` with the collection's figures.
    public init(
        configuration: CoordinatorConfiguration, logger: Logger,
        clock: any CoordinatorClock = SystemCoordinatorClock(),
        monotonicClock: MonotonicClock = .continuous,
        onProgress: @escaping @Sendable (CoordinatorProgress) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.monotonicClock = monotonicClock
        self.onProgress = onProgress
    }

    /// Runs the collection to completion and returns its final status (the reports are written by then).
    ///
    /// `onListening` is called once the socket is bound, with the actual port (useful with port 0). A collection
    /// that is already complete is not served: its reports are written and its status returned at once.
    /// - Throws: `CoordinatorError`, `StoreError` (including a plan mismatch without `forceNew`), `TLSError` for
    ///   unusable certificates, NIO errors when the address cannot be bound; `CancellationError` after a
    ///   graceful stop.
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> CollectionStatus {
        try configuration.validate()
        // Certificates first: one the coordinator cannot serve with (expired, wrong key, issued for an agent) stops
        // it before it touches the database.
        let tlsContexts = try ReloadableTLSContext(configuration: configuration.tls, role: .server)
        let reloads = configuration.tlsReloadTrigger?.subscribe { [logger] in
            switch tlsContexts.reload() {
            case .success(let identity):
                let text = "coordinator reloaded its TLS files: certificate CN=\(identity.commonName ?? "-") SHA-256 "
                    + "\(identity.fingerprintSHA256); new connections use them"
                logger.notice("\(text)")
            case .failure(let error):
                logger.error("coordinator TLS reload failed, keeping the previous certificates: \(error)")
            }
        }
        defer { reloads.map { configuration.tlsReloadTrigger?.unsubscribe($0) } }
        let store = try Self.openDatabase(configuration.databasePath)
        defer { store.close() }
        let (collection, created) = try openCollection(store)
        // Every line about this collection carries its id (`--log-format json`: the `collection` key).
        var log = logger
        log[metadataKey: JSONLogLine.Keys.collection] = .string(collection.id)
        let plan = collection.plan
        let stored = try store.status(collectionID: collection.id)
        log.notice("\(created ? "started new" : "resuming") collection \(collection.id) in "
                      + "\(configuration.databasePath): \(stored.done)/\(stored.total) jobs done")
        let checks = try checkSuite(store: store, collection: collection, complete: stored.done == stored.total)
        if stored.done == stored.total && checks == nil {
            log.notice("collection \(collection.id) is already complete; nothing to run")
            return try finish(store: store, collection: collection)
        }
        let now = clock.now()
        let inherited = try store.inheritUnconfirmedAssignments(collectionID: collection.id)
        if !inherited.isEmpty {
            log.notice("\(inherited.count) attempts assigned before this start were never reported by their "
                          + "agents; if their agents do not have them they are closed as unsent, not counted")
        }
        for attempt in try store.expireLeases(collectionID: collection.id, maxAttempts: plan.maxAttempts, now: now) {
            log.notice("lease of \(attempt.jobID)#\(attempt.attempt) on agent \(attempt.agent) ended while no "
                          + "coordinator ran; " + (attempt.gaveUp ? "job given up (harness error)" : "job re-queued"),
                          metadata: TaskLogMetadata.of(job: attempt.jobID, attempt: attempt.attempt,
                                                       agent: attempt.agent))
        }
        let snapshot = try store.schedulingSnapshot(collectionID: collection.id)
        let board = try JobBoard(plan: plan, stored: snapshot.jobs)
        let jobGap = plan.jobGapSeconds * configuration.timeScale
        let settings = Scheduler.Settings(
            collectionID: collection.id, plan: plan, leaseSeconds: configuration.leaseSeconds, jobGap: jobGap,
            dayGap: plan.dayGapSeconds * configuration.timeScale,
            heartbeatIntervalMS: configuration.heartbeatIntervalMS,
            heartbeatTimeoutMS: configuration.heartbeatTimeoutMS, shutdownGrace: configuration.shutdownGraceSeconds,
            drainGrace: configuration.drainGraceSeconds,
            resumeNotBefore: snapshot.lastActivity.map { $0.addingTimeInterval(jobGap) })
        let afterStart = try store.status(collectionID: collection.id)
        let scheduler = try Scheduler(
            settings: settings, board: board,
            writer: StoreWriter(store: store, collectionID: collection.id, maxAttempts: plan.maxAttempts,
                                metrics: configuration.metrics),
            clock: clock, logger: log, failedMeasurements: afterStart.failedMeasurements,
            harnessErrors: afterStart.harnessErrors, checks: checks)
        await scheduler.inherit(inherited)

        try configuration.metrics?.seed(store: store, collectionID: collection.id)
        var wire = configuration.wire
        wire.traffic = wire.traffic ?? configuration.metrics?.traffic
        let server = try await WireServer.bind(host: configuration.host, port: configuration.port,
                                               tlsContexts: tlsContexts, configuration: wire)
        log.notice("coordinator listening on \(configuration.host):\(server.port) (collection \(collection.id), "
                      + "\(board.total - board.doneCount) jobs to go)")
        onListening(server.port)

        let work = Task { try await serve(server: server, scheduler: scheduler) }
        let ending = try await withTaskCancellationHandler {
            try await work.value
        } onCancel: {
            Task { await scheduler.requestStop() }
        }
        switch ending {
        case .interrupted:
            log.notice("stopped; every acknowledged result is in \(configuration.databasePath)")
            throw CancellationError()
        case .completed:
            return try finish(store: store, collection: collection)
        }
    }

    /// The database as its sole writer; another coordinator or `collect` on the same file is a `databaseLocked`.
    private static func openDatabase(_ path: String) throws -> BenchStore {
        do {
            return try BenchStore(soleWriterOf: path)
        } catch {
            guard error.kind == .locked else { throw error }
            throw CoordinatorError(.databaseLocked, operation: "lock \(path)", reason: error.reason)
        }
    }

    private func openCollection(_ store: BenchStore) throws -> (CollectionInfo, Bool) {
        if let plan = configuration.plan {
            let opened = try store.openCollection(plan: plan, forceNew: configuration.forceNew, now: clock.now())
            return (opened.collection, opened.created)
        }
        if let current = try store.currentCollection(), !configuration.forceNew { return (current, false) }
        let opened = try store.openCollection(plan: Plan(), forceNew: configuration.forceNew, now: clock.now())
        return (opened.collection, opened.created)
    }

    /// Accepts agents and runs the scheduler until it finishes; then stops accepting and waits for every
    /// connection to end.
    private func serve(server: WireServer, scheduler: Scheduler) async throws -> Scheduler.Finish {
        let connection = AgentConnection(
            scheduler: scheduler, clock: clock, allowedAgents: configuration.allowedAgents,
            helloTimeout: configuration.helloTimeoutSeconds,
            awaitingHello: ConnectionGate(limit: configuration.maxConnectionsAwaitingHello),
            heartbeats: HeartbeatWatch(
                clock: monotonicClock, interval: .milliseconds(configuration.heartbeatIntervalMS),
                timeout: .milliseconds(configuration.heartbeatTimeoutMS), logger: logger),
            sessionIDs: SessionIDs(), logger: logger)
        let serving = Task { [logger] in
            try await server.run(onConnectionError: { error, address in
                let peer = address.map(AgentSession.describe) ?? "unknown address"
                logger.warning("connection from \(peer) failed: \(error)")
            }, handler: { wire in
                try await connection.serve(wire)
            })
        }
        let ticker = Task { [clock, onProgress, configuration] in
            while true {
                try await clock.sleep(until: clock.now().addingTimeInterval(configuration.progressIntervalSeconds))
                onProgress(await scheduler.progress())
            }
        }
        defer { ticker.cancel() }
        let finish: Result<Scheduler.Finish, any Error>
        do {
            finish = .success(try await scheduler.run())
        } catch {
            finish = .failure(error)
        }
        onProgress(await scheduler.progress())
        await server.close()
        // Every session got its bye and closes once it is written; give them a bounded time, then cut the rest.
        let ended = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try? await serving.value
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(3))
                return false
            }
            defer { group.cancelAll() }
            return await group.next() ?? false
        }
        if !ended {
            serving.cancel()
            _ = try? await serving.value
        }
        return try finish.get()
    }

    /// Marks the collection complete, writes the reports (with the test reports of its suite runs) and returns the
    /// final status.
    private func finish(store: BenchStore, collection: CollectionInfo) throws -> CollectionStatus {
        try store.markCompleted(collectionID: collection.id, now: clock.now())
        if let directory = configuration.reportDirectory {
            let output = try ReportWriter(store: store).write(to: directory)
            logger.notice("reports written: \(output.files.joined(separator: ", "))")
        }
        return try store.status(collectionID: collection.id)
    }
}
