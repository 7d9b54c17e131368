import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire
import Dispatch
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Synchronization

/// Many idle agents in this process, each a real mutual-TLS connection speaking the real protocol: `hello`, wait
/// for `welcome`, then a `heartbeat` every `heartbeat_interval_ms` (as the welcome says) and nothing else, until
/// ``stop()``; then `bye` and close.
///
/// At most `connectConcurrency` agents are between TCP connect and `welcome` at once. Every wait is bounded: the
/// TCP connect and the TLS handshake by their timeouts, the `welcome` by `welcomeTimeout`.
final class IdleAgentFleet: Sendable {
    /// One agent's certificate.
    struct Identity: Sendable {
        let name: String
        let files: CertificateFiles
    }

    /// What the fleet has seen so far.
    struct Counts: Sendable {
        var welcomed = 0
        var connectFailures = 0
        /// Sessions that ended before ``stop()`` (the coordinator dropped or refused an agent).
        var droppedWhileIdle = 0
        var heartbeatsSent = 0
        var heartbeatsReceived = 0
        /// Sessions that have ended, for whatever reason.
        var ended = 0
        /// The first few failures, for the report.
        var failures: [String] = []
    }

    let port: Int
    let trustRootsPath: String
    let identities: [Identity]
    let connectConcurrency: Int
    let welcomeTimeout: Duration
    private let state = NIOLockedValueBox(Counts())
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    init(port: Int, trustRootsPath: String, identities: [Identity], connectConcurrency: Int,
         welcomeTimeout: Duration = .seconds(20)) {
        self.port = port
        self.trustRootsPath = trustRootsPath
        self.identities = identities
        self.connectConcurrency = max(1, connectConcurrency)
        self.welcomeTimeout = welcomeTimeout
    }

    var counts: Counts { state.withLockedValue { $0 } }

    /// Whether ``run()`` has returned: every session has ended.
    var hasFinished: Bool { finished.load(ordering: .sequentiallyConsistent) }

    /// Asks every agent to say `bye` and close at its next heartbeat time (within one heartbeat interval).
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
    }

    /// Connects every agent and keeps the sessions until they end (after ``stop()``, or when cancelled). Returns
    /// early without connecting the rest once a connection has failed.
    func run() async {
        let (connectionsDone, finishedContinuation) = AsyncStream<Void>.makeStream()
        var connecting = 0
        await withTaskGroup(of: Void.self) { group in
            var iterator = connectionsDone.makeAsyncIterator()
            for identity in identities {
                while connecting >= connectConcurrency {
                    guard await iterator.next() != nil else { return }
                    connecting -= 1
                }
                guard !Task.isCancelled, !stopping.load(ordering: .relaxed), counts.connectFailures == 0 else {
                    break
                }
                connecting += 1
                group.addTask { await self.session(identity) { finishedContinuation.yield() } }
            }
        }
        finishedContinuation.finish()
        finished.store(true, ordering: .sequentiallyConsistent)
    }

    /// One agent from connect to close. `connected` is called once: after `welcome`, or when getting there failed.
    private func session(_ identity: Identity, connected: @Sendable () -> Void) async {
        var welcomed = false
        do {
            let context = try TLSContext(
                configuration: TLSConfiguration(certificateChainPath: identity.files.certificatePath,
                                                privateKeyPath: identity.files.privateKeyPath,
                                                trustRootsPath: trustRootsPath),
                role: .client)
            let connection = try await WireClient.connect(
                host: "127.0.0.1", port: port, tlsContext: context, serverHostname: "127.0.0.1")
            let channel = connection.channel.channel
            try await connection.channel.executeThenClose { inbound, outbound in
                try await outbound.write(.hello(.init(agentID: identity.name, slots: 1,
                                                      software: "mmmbench-bench idle-agents")))
                var messages = inbound.makeAsyncIterator()
                let watchdog = Task { [welcomeTimeout] in
                    try await Task.sleep(for: welcomeTimeout)
                    channel.close(promise: nil)
                }
                let first = try await messages.next()
                watchdog.cancel()
                guard case .welcome(let welcome) = first else {
                    throw SessionFailure(reason: Self.unexpected(first, waitingFor: "welcome"))
                }
                welcomed = true
                state.withLockedValue { $0.welcomed += 1 }
                connected()
                try await idle(&messages, outbound: outbound,
                               interval: .milliseconds(max(1, welcome.heartbeatIntervalMS)))
            }
        } catch {
            let failure = "\(identity.name): \(error)"
            state.withLockedValue { counts in
                if !welcomed { counts.connectFailures += 1 }
                if counts.failures.count < 5 { counts.failures.append(failure) }
            }
        }
        let dropped = !stopping.load(ordering: .sequentiallyConsistent)
        state.withLockedValue { counts in
            counts.ended += 1
            if welcomed && dropped { counts.droppedWhileIdle += 1 }
        }
        if !welcomed { connected() }
    }

    /// After `welcome`: heartbeats out every interval, everything the coordinator sends read (heartbeats counted);
    /// ends when the coordinator closes or says `bye`, or after this agent's own `bye` once stopping.
    private func idle(
        _ messages: inout NIOAsyncChannelInboundStream<WireMessage>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<WireMessage>, interval: Duration
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    try await Task.sleep(for: interval)
                    if self.stopping.load(ordering: .sequentiallyConsistent) {
                        try await outbound.write(.bye(.init(reason: "benchmark finished")))
                        return
                    }
                    let sentAt = Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000)
                    try await outbound.write(.heartbeat(.init(sentAtMS: sentAt, running: [])))
                    self.state.withLockedValue { $0.heartbeatsSent += 1 }
                }
            }
            defer { group.cancelAll() }
            while let message = try await messages.next() {
                switch message {
                case .heartbeat:
                    state.withLockedValue { $0.heartbeatsReceived += 1 }
                case .bye(let bye):
                    if !stopping.load(ordering: .sequentiallyConsistent) {
                        throw SessionFailure(reason: "coordinator said bye while idle: \(bye.reason)")
                    }
                    return
                default:
                    throw SessionFailure(reason: Self.unexpected(message, waitingFor: "heartbeat"))
                }
            }
        }
    }

    private static func unexpected(_ message: WireMessage?, waitingFor expected: String) -> String {
        switch message {
        case nil: return "connection closed while waiting for \(expected)"
        case .reject(let reject)?: return "rejected (\(reject.code)): \(reject.reason)"
        case let other?: return "got \(other.type) while waiting for \(expected)"
        }
    }

    private struct SessionFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }
}
