import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Logging
import NIOCore
import Synchronization

/// Runs one agent connection: reads the `hello` (within the hello timeout), admits or rejects the agent, then
/// three concurrent parts until the connection ends: a reader that hands every frame to the scheduler, a writer
/// that drains the session's mailbox, and a heartbeat timer that sends heartbeats and closes the connection after
/// `heartbeat_timeout_ms` of silence. What frames mean is decided by ``AgentSessionStateMachine``.
struct AgentConnection: Sendable {
    let scheduler: Scheduler
    let clock: any CoordinatorClock
    let allowedAgents: Set<String>
    let helloTimeout: TimeInterval
    /// Connections through the TLS handshake that have not sent their first frame yet.
    let awaitingHello: ConnectionGate
    /// Heartbeats and silence, on the monotonic clock.
    let heartbeats: HeartbeatWatch
    let sessionIDs: SessionIDs
    let logger: Logger

    /// Serves `connection` until it ends. Never throws for the agent's misbehaviour: that is logged and ends only
    /// this connection.
    func serve(_ connection: WireConnection) async throws {
        let remote = connection.remoteAddress.map(AgentSession.describe) ?? "unknown address"
        let channel = connection.channel.channel
        guard awaitingHello.enter() else {
            logger.warning("closing the connection from \(remote) (certificate \(connection.peer)) at once: "
                           + "\(awaitingHello.limit) connections are already waiting to say hello (the limit)")
            return
        }
        try await connection.channel.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            var machine = AgentSessionStateMachine()
            let watchdog = Task { [clock, helloTimeout, logger] in
                try await clock.sleep(until: clock.now().addingTimeInterval(helloTimeout))
                logger.notice("closing the connection from \(remote): no hello within "
                              + "\(Scheduler.seconds(helloTimeout)) s")
                channel.close(promise: nil)
            }
            let firstFrame: Result<WireMessage?, any Error>
            do {
                firstFrame = .success(try await iterator.next())
            } catch {
                firstFrame = .failure(error)
            }
            watchdog.cancel()
            awaitingHello.leave()
            let first: WireMessage?
            switch firstFrame {
            case .success(let message):
                first = message
            case .failure(let error as WireError):
                logger.warning("protocol error from \(remote) before hello: \(error); closing the connection")
                if let reply = machine.decodingFailed(error) { try? await outbound.write(reply) }
                return
            case .failure(let error):
                logger.notice("connection from \(remote) ended before its hello: \(error)")
                return
            }
            guard let first else {
                logger.notice("connection from \(remote) closed before its hello")
                return
            }
            guard let session = await admit(first, connection: connection, remote: remote, machine: &machine,
                                            outbound: outbound)
            else { return }
            let heartbeatTask = Task { [heartbeats] in await heartbeats.run(session) }
            async let written: Void = Self.writeLoop(session, outbound: outbound, channel: channel)
            let (reason, farewell) = await readLoop(&iterator, machine: &machine, session: session)
            heartbeatTask.cancel()
            await scheduler.unregister(session, reason: reason)
            session.mailbox.close(farewell: farewell)
            await written
        }
    }

    /// Handles the first frame: a valid hello from an allowed identity is registered (the scheduler queues the
    /// `welcome`); anything else is answered with `reject`. Returns the session when admitted.
    private func admit(
        _ first: WireMessage, connection: WireConnection, remote: String, machine: inout AgentSessionStateMachine,
        outbound: NIOAsyncChannelOutboundWriter<WireMessage>
    ) async -> AgentSession? {
        let hello: WireMessage.Hello
        switch machine.firstFrame(first) {
        case .reject(let code, let reason):
            logger.warning("rejected connection from \(remote): \(reason)")
            try? await outbound.write(.reject(.init(code: code, reason: reason)))
            return nil
        case .register(let message):
            hello = message
        }
        let name: String
        switch AgentAdmission.identity(commonName: connection.peer.commonName, allowed: allowedAgents) {
        case .failure(let refusal):
            machine.rejected()
            logger.warning("refused agent from \(remote) (certificate \(connection.peer)): \(refusal.reason)")
            try? await outbound.write(.reject(.init(code: .notAllowed, reason: refusal.reason)))
            return nil
        case .success(let identity):
            name = identity
        }
        let session = AgentSession(id: sessionIDs.next(), name: name, remoteAddress: connection.remoteAddress,
                                   admittedAt: heartbeats.clock.now())
        switch await scheduler.register(session, hello: hello) {
        case .rejected(let code, let reason):
            machine.rejected()
            logger.notice("rejected agent \(name) from \(remote): \(reason)")
            try? await outbound.write(.reject(.init(code: code, reason: reason)))
            return nil
        case .welcomed:
            machine.welcomed()
            return session
        }
    }

    /// Hands every frame to the scheduler until the connection ends. Returns why it ended and the farewell to send
    /// (a `bye` naming a protocol error), if any.
    private func readLoop(
        _ iterator: inout NIOAsyncChannelInboundStream<WireMessage>.AsyncIterator,
        machine: inout AgentSessionStateMachine, session: AgentSession
    ) async -> (reason: String, farewell: WireMessage?) {
        do {
            while let message = try await iterator.next() {
                session.heard(at: heartbeats.clock.now())
                switch machine.received(message) {
                case .heartbeat(let running):
                    await scheduler.heartbeat(session, running: running,
                                              trainerUnreachable: Self.trainerUnreachable(of: message))
                case .renew(let task):
                    await scheduler.alive(session, task: task)
                case .result(let result) where CheckSuiteDriver.isCheckTask(result.task):
                    await scheduler.checkResult(session, result)
                case .result(let result) where HarnessFailureOutcome.reason(of: result.outcome) != nil:
                    let reason = HarnessFailureOutcome.reason(of: result.outcome) ?? ""
                    await scheduler.harnessFailure(session, task: result.task, reason: reason)
                case .result(let result):
                    switch TrainOutcome.metric(of: result, agent: session.name) {
                    case .success(let metric):
                        let submission = scheduler.submission(for: metric, task: result.task, agent: session.name)
                        await scheduler.result(session, task: result.task, submission: submission)
                    case .failure(let refusal):
                        logger.warning("refused result \(result.task) from agent \(session.name): \(refusal.reason)",
                                       metadata: TaskLogMetadata.of(result.task, agent: session.name))
                        session.mailbox.send(.ack(.init(task: result.task, status: .refused, reason: refusal.reason)))
                    }
                case .peerClosed(let reason):
                    return ("said bye: \(reason)", nil)
                case .violation(let reason):
                    logger.warning("protocol error from agent \(session.name): \(reason); closing its connection")
                    return ("protocol error", .bye(.init(reason: "protocol error: \(reason)")))
                case .ignore:
                    continue
                }
            }
            return (session.closedByCoordinator ?? "connection closed", nil)
        } catch let error as WireError {
            // A connection this side closed (a heartbeat timeout) may end mid-frame: that is not the agent's error.
            if let reason = session.closedByCoordinator { return (reason, nil) }
            logger.warning("protocol error from agent \(session.name) at \(session.remoteAddress): \(error); "
                           + "closing its connection")
            return ("protocol error", machine.decodingFailed(error))
        } catch {
            return (session.closedByCoordinator ?? "connection lost: \(error)", nil)
        }
    }

    /// Writes everything the mailbox yields, one flush per batch; once the mailbox is closed and delivered (or a
    /// write fails), closes the connection so that the reader stops too.
    private static func writeLoop(
        _ session: AgentSession, outbound: NIOAsyncChannelOutboundWriter<WireMessage>, channel: any Channel
    ) async {
        while let batch = await session.mailbox.next() {
            do {
                try await outbound.write(contentsOf: batch)
            } catch {
                session.mailbox.close(farewell: nil)
                break
            }
        }
        channel.close(promise: nil)
    }

    /// What an agent heartbeat says of its trainer (`trainer_unreachable`), nil for anything else.
    static func trainerUnreachable(of message: WireMessage) -> String? {
        guard case .heartbeat(let heartbeat) = message else { return nil }
        return heartbeat.trainerUnreachable
    }
}

/// Numbers agent sessions (unique within the process).
final class SessionIDs: Sendable {
    private let last = Atomic<UInt64>(0)

    func next() -> UInt64 {
        last.wrappingAdd(1, ordering: .relaxed).newValue
    }
}
