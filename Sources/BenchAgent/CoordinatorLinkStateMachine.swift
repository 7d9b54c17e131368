import BenchJSON
import BenchProtocol
import BenchWire

/// The decisions of one agent session (one connection), free of I/O and of the clock: the caller passes `now`.
///
///     awaitingWelcome --welcome--> established --drain--> draining --work settled--> closed ("drained")
///           |  reject / protocol error / bye / timeout            |  bye / protocol error / heartbeat timeout
///           +------------------------------> closed <-------------+
///
/// The session handler feeds it every inbound message and every timer expiry and performs the returned action;
/// the timer is armed for ``nextDeadline``. Heartbeats are due every `heartbeat_interval_ms` after welcome; the
/// coordinator is given up after `heartbeat_timeout_ms` without any frame (any frame counts as a sign of life),
/// and before welcome after ``welcomeTimeout``.
struct CoordinatorLinkStateMachine<Instant: InstantProtocol> where Instant.Duration == Duration {
    enum State: Equatable {
        case awaitingWelcome
        case established
        case draining
        case closed(reason: String)
    }

    /// What to do with an inbound message.
    enum InboundAction: Equatable {
        /// The session is accepted: stop `welcome.cancelled`, resend the outbox, start heartbeats.
        case established(WireMessage.Welcome)
        /// The session is refused; close (the caller decides whether to retry).
        case rejected(WireMessage.Reject)
        /// Run this attempt.
        case run(WireMessage.Assign)
        /// Delete this result from the outbox.
        case acknowledged(WireMessage.Ack)
        /// Stop this attempt and forget it.
        case cancel(WireMessage.Cancel)
        /// Take no more work; finish, deliver, then say bye.
        case startDrain(reason: String)
        /// The coordinator closes on purpose; close without sending anything.
        case peerClosed(reason: String)
        /// Log and drop the message (it is valid but cannot be acted on).
        case ignore(reason: String)
        /// Nothing to do beyond noting the sign of life (heartbeats).
        case none
        /// The coordinator broke the protocol: send `bye` with the reason and close.
        case protocolError(reason: String)
    }

    /// What to do when the timer fires.
    enum TimerAction: Equatable {
        case sendHeartbeat
        /// The coordinator is silent (or never welcomed us): send `bye` with the reason and close.
        case giveUp(reason: String)
        case none
    }

    private(set) var state: State = .awaitingWelcome
    let welcomeTimeout: Duration
    private let openedAt: Instant
    private var lastReceived: Instant
    private var lastHeartbeatSent: Instant
    private(set) var heartbeatInterval: Duration = .seconds(5)
    private(set) var heartbeatTimeout: Duration = .seconds(20)

    /// A session whose `hello` is sent at `now`.
    init(now: Instant, welcomeTimeout: Duration) {
        self.welcomeTimeout = welcomeTimeout
        openedAt = now
        lastReceived = now
        lastHeartbeatSent = now
    }

    /// True once `welcome` arrived (the session counts as established for the reconnect backoff).
    private(set) var wasWelcomed = false

    /// True after `drain` (the agent takes no more work in this session).
    var isDraining: Bool { state == .draining }

    mutating func received(_ message: WireMessage, now: Instant) -> InboundAction {
        if case .closed = state { return .none }
        lastReceived = now
        switch (state, message) {
        case (.awaitingWelcome, .welcome(let welcome)):
            guard welcome.protocolVersion == WireProtocol.version else {
                return close("welcome speaks protocol version \(welcome.protocolVersion), "
                             + "agent sent \(WireProtocol.version)")
            }
            state = .established
            wasWelcomed = true
            heartbeatInterval = .milliseconds(max(1, welcome.heartbeatIntervalMS))
            heartbeatTimeout = .milliseconds(max(welcome.heartbeatIntervalMS, welcome.heartbeatTimeoutMS, 1))
            lastHeartbeatSent = now
            return .established(welcome)
        case (.awaitingWelcome, .reject(let reject)):
            state = .closed(reason: "rejected: \(reject.code)")
            return .rejected(reject)
        case (.awaitingWelcome, let other):
            return close("'\(other.type.rawValue)' before welcome")
        case (.established, .assign(let assign)):
            return .run(assign)
        case (.draining, .assign(let assign)):
            return .ignore(reason: "assign \(assign.task) after drain")
        case (.established, .ack(let ack)), (.draining, .ack(let ack)):
            return .acknowledged(ack)
        case (.established, .cancel(let cancel)), (.draining, .cancel(let cancel)):
            return .cancel(cancel)
        case (.established, .heartbeat), (.draining, .heartbeat):
            return .none
        case (.established, .drain(let drain)):
            state = .draining
            return .startDrain(reason: drain.reason)
        case (.draining, .drain):
            return .none
        case (_, .bye(let bye)):
            state = .closed(reason: "coordinator said bye: \(bye.reason)")
            return .peerClosed(reason: bye.reason)
        case (_, let other):
            return close("'\(other.type.rawValue)' is not valid from a coordinator")
        }
    }

    /// When ``timerFired(now:)`` should next run; nil once closed.
    var nextDeadline: Instant? {
        switch state {
        case .awaitingWelcome:
            return openedAt.advanced(by: welcomeTimeout)
        case .established, .draining:
            return min(lastHeartbeatSent.advanced(by: heartbeatInterval), lastReceived.advanced(by: heartbeatTimeout))
        case .closed:
            return nil
        }
    }

    mutating func timerFired(now: Instant) -> TimerAction {
        switch state {
        case .awaitingWelcome:
            guard now >= openedAt.advanced(by: welcomeTimeout) else { return .none }
            let reason = "no welcome within \(Self.milliseconds(welcomeTimeout)) ms"
            state = .closed(reason: reason)
            return .giveUp(reason: reason)
        case .established, .draining:
            if now >= lastReceived.advanced(by: heartbeatTimeout) {
                let silence = Self.milliseconds(heartbeatTimeout)
                let reason = "heartbeat timeout: nothing from the coordinator for \(silence) ms"
                state = .closed(reason: reason)
                return .giveUp(reason: reason)
            }
            if now >= lastHeartbeatSent.advanced(by: heartbeatInterval) {
                lastHeartbeatSent = now
                return .sendHeartbeat
            }
            return .none
        case .closed:
            return .none
        }
    }

    /// Called when, while draining, every attempt is finished and every result acknowledged: true means send
    /// `bye` ("drained") and close.
    mutating func workSettled() -> Bool {
        guard state == .draining else { return false }
        state = .closed(reason: "drained")
        return true
    }

    /// The connection ended or is being closed by the agent for `reason` (cancellation, transport error).
    mutating func closed(reason: String) {
        if case .closed = state { return }
        state = .closed(reason: reason)
    }

    private mutating func close(_ reason: String) -> InboundAction {
        state = .closed(reason: "protocol error: \(reason)")
        return .protocolError(reason: reason)
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
    }
}
