import BenchJSON
import BenchProtocol
import BenchWire
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// One connection to the coordinator, from `hello` to close; the decisions are ``CoordinatorLinkStateMachine``'s.
///
/// Three activities share the connection: the inbound loop (this task) reads and dispatches messages, a writer
/// task sends what ``OutboundMessageQueue`` collects, and timer tasks wait for welcome, then send heartbeats and give a
/// silent coordinator up.
/// None of them waits on job work. Final frames (`bye`) go straight to the channel and the channel is closed,
/// which ends the inbound loop. A value type: its state lives in the locked box and the actor it shares with its tasks.
struct CoordinatorLink: Sendable {
    typealias Machine = CoordinatorLinkStateMachine<ContinuousClock.Instant>

    private let connection: WireConnection
    private let work: AgentWork
    private let configuration: AgentConfiguration
    private let name: String
    private let logger: Logger
    private let events: @Sendable (AgentEvent) -> Void

    init(
        connection: WireConnection, work: AgentWork, configuration: AgentConfiguration, name: String, logger: Logger,
        events: @escaping @Sendable (AgentEvent) -> Void
    ) {
        self.connection = connection
        self.work = work
        self.configuration = configuration
        self.name = name
        self.logger = logger
        self.events = events
    }

    /// Runs the session to its end and says how it ended and whether it had been welcomed.
    func run() async -> (end: SessionEnd, welcomed: Bool) {
        let machine = SharedMachine(Machine(now: .now, welcomeTimeout: configuration.welcomeTimeout))
        let queue = OutboundMessageQueue()
        let (running, queued) = await work.helloState()
        let hello = WireMessage.Hello(
            agentID: name, slots: configuration.slots, labels: configuration.labels, running: running,
            queuedResults: queued, software: configuration.software, features: WireFeature.implemented,
            trainerUnreachable: work.runner.reachability?.unreachableReason)
        queue.send(.hello(hello))
        let end: SessionEnd
        do {
            end = try await connection.channel.executeThenClose { inbound, outbound in
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await Self.write(queue, to: outbound, closing: self.connection.channel.channel) }
                    group.addTask { await self.runWelcomeTimer(machine: machine) }
                    let end = await self.readLoop(inbound, machine: machine, queue: queue, hello: hello, group: &group)
                    queue.close(discardingQueued: true)
                    group.cancelAll()
                    return end
                }
            }
        } catch {
            end = Task.isCancelled ? .cancelled : .lost(reason: "\(error)")
        }
        await work.detach(queue: queue)
        let welcomed = machine.state.withLockedValue { $0.wasWelcomed }
        return (end, welcomed)
    }

    private func readLoop(
        _ inbound: NIOAsyncChannelInboundStream<WireMessage>, machine: SharedMachine, queue: OutboundMessageQueue,
        hello: WireMessage.Hello, group: inout TaskGroup<Void>
    ) async -> SessionEnd {
        do {
            for try await message in inbound {
                let action = machine.state.withLockedValue { $0.received(message, now: .now) }
                switch action {
                case .established(let welcome):
                    logger.notice("agent \(name) connected to \(configuration.coordinatorAddress)", metadata: [
                        "collection": "\(welcome.collectionID)", "reattached": "\(welcome.reattached.count)",
                        "cancelled": "\(welcome.cancelled.count)",
                    ])
                    events(.connected(coordinator: configuration.coordinatorAddress,
                                      collectionID: welcome.collectionID, reattached: welcome.reattached,
                                      cancelled: welcome.cancelled))
                    group.addTask { await self.runHeartbeatTimer(machine: machine, queue: queue) }
                    await work.attach(queue: queue, welcome: welcome, announcedRunning: hello.running)
                    if await work.drainRequested { logger.info("a drain was requested before; taking no new work") }
                case .rejected(let reject):
                    return .rejected(reject)
                case .run(let assignment):
                    await work.assign(assignment)
                case .acknowledged(let ack):
                    await work.acknowledged(ack)
                case .cancel(let cancel):
                    await work.cancel(cancel.task, reason: cancel.reason)
                case .startDrain(let reason):
                    logger.notice("agent \(name) draining: \(reason)")
                    events(.draining(reason: reason))
                    await work.requestDrain()
                    group.addTask { await self.finishDrain(machine: machine) }
                case .peerClosed(let reason):
                    return .closedByCoordinator(reason: reason)
                case .ignore(let reason):
                    logger.warning("ignored from the coordinator: \(reason)")
                case .none:
                    break
                case .protocolError(let reason):
                    logger.error("protocol error from the coordinator: \(reason); closing the connection")
                    sayByeAndClose("protocol error: \(reason)")
                    return .lost(reason: "protocol error: \(reason)")
                }
            }
        } catch let error as WireError {
            if case .unsupportedProtocolVersion = error {
                sayByeAndClose("unsupported protocol version")
                return .incompatible(reason: error.description)
            }
            return ended(machine, reason: "connection failed: \(error)")
        } catch {
            return ended(machine, reason: "connection failed: \(error)")
        }
        return ended(machine, reason: "connection closed by the coordinator")
    }

    /// The inbound stream ended: cancelled (say bye), after our own close (drain, timeout), or the peer went away.
    private func ended(_ machine: SharedMachine, reason: String) -> SessionEnd {
        if Task.isCancelled {
            sayByeAndClose("agent shutting down")
            machine.state.withLockedValue { $0.closed(reason: "agent shutting down") }
            return .cancelled
        }
        let state = machine.state.withLockedValue { machine -> Machine.State in
            machine.closed(reason: reason)
            return machine.state
        }
        if case .closed(let why) = state {
            return why == "drained" ? .drained : .lost(reason: why)
        }
        return .lost(reason: reason)
    }

    /// Waits until every attempt is finished and every result acknowledged, then says bye.
    private func finishDrain(machine: SharedMachine) async {
        await work.waitUntilIdle()
        guard !Task.isCancelled else { return }
        await work.flushPending()
        guard machine.state.withLockedValue({ $0.workSettled() }) else { return }
        logger.notice("agent \(name) drained: every result acknowledged; saying bye")
        events(.drained)
        sayByeAndClose("drained")
    }

    /// Gives the coordinator up if neither `welcome` nor `reject` arrives in time.
    private func runWelcomeTimer(machine: SharedMachine) async {
        guard let deadline = machine.state.withLockedValue({ $0.nextDeadline }) else { return }
        do {
            try await ContinuousClock().sleep(until: deadline, tolerance: nil)
        } catch {
            return
        }
        let action = machine.state.withLockedValue { machine -> Machine.TimerAction in
            guard machine.state == .awaitingWelcome else { return .none }
            return machine.timerFired(now: .now)
        }
        if case .giveUp(let reason) = action {
            logger.warning("agent \(name): \(reason); closing the connection")
            sayByeAndClose(reason)
        }
    }

    /// After welcome: heartbeats on their own timer, and giving up a silent coordinator.
    private func runHeartbeatTimer(machine: SharedMachine, queue: OutboundMessageQueue) async {
        let clock = ContinuousClock()
        let start = clock.now
        while !Task.isCancelled {
            guard let deadline = machine.state.withLockedValue({ $0.nextDeadline }) else { return }
            do {
                try await clock.sleep(until: deadline, tolerance: nil)
            } catch {
                return
            }
            switch machine.state.withLockedValue({ $0.timerFired(now: clock.now) }) {
            case .sendHeartbeat:
                let running = await work.runningTasks()
                await work.commitDeferredDeletions()
                let sentAt = CoordinatorLinkStateMachine<ContinuousClock.Instant>.milliseconds(clock.now - start)
                queue.send(.heartbeat(.init(sentAtMS: sentAt, running: running,
                                            trainerUnreachable: work.runner.reachability?.unreachableReason)))
            case .giveUp(let reason):
                logger.warning("agent \(name): \(reason); closing the connection")
                sayByeAndClose(reason)
                return
            case .none:
                continue
            }
        }
    }

    /// Sends `bye` straight to the channel (not through the writer, whose task may be cancelled), then closes.
    private func sayByeAndClose(_ reason: String) {
        let channel = connection.channel.channel
        channel.writeAndFlush(WireMessage.bye(.init(reason: reason)), promise: nil)
        channel.close(promise: nil)
    }

    /// The writer: everything the queue collected, one write (and flush) per batch.
    private static func write(
        _ queue: OutboundMessageQueue, to outbound: NIOAsyncChannelOutboundWriter<WireMessage>,
        closing channel: any Channel
    ) async {
        while let batch = await queue.next() {
            do {
                try await outbound.write(contentsOf: batch)
            } catch {
                // On cancellation the session says bye and closes; closing here first would race the bye away.
                if !Task.isCancelled { channel.close(promise: nil) }
                return
            }
        }
    }
}

/// The session's state machine behind a lock, shared by its inbound loop, writer and timer tasks.
final class SharedMachine: Sendable {
    let state: NIOLockedValueBox<CoordinatorLink.Machine>

    init(_ machine: CoordinatorLink.Machine) {
        state = NIOLockedValueBox(machine)
    }
}
