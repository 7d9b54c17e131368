import BenchWire
import Logging

/// The coordinator's heartbeat timer of one agent session: sends a `heartbeat` every interval and closes the
/// session once `timeout` has passed without any frame from the agent (woken at that moment, not at the next
/// heartbeat). Time is the injected ``MonotonicClock``: a wall-clock step changes nothing.
struct HeartbeatWatch: Sendable {
    let clock: MonotonicClock
    let interval: Duration
    let timeout: Duration
    let logger: Logger

    /// What the timer does next.
    enum Step: Sendable, Equatable {
        /// Nothing is due: sleep until then (the next heartbeat or the end of the allowed silence).
        case wait(until: Duration)
        /// Send a heartbeat; the one after is due at `next`.
        case heartbeat(next: Duration)
        /// The agent was silent for `silence` (at least the timeout): close its session.
        case close(silence: Duration)
    }

    /// The decision at `now`, given when the agent was last heard and when the next heartbeat is due.
    func step(now: Duration, lastHeard: Duration, nextHeartbeat: Duration) -> Step {
        let silence = now - lastHeard
        if silence >= timeout { return .close(silence: silence) }
        if now >= nextHeartbeat { return .heartbeat(next: now + interval) }
        return .wait(until: min(nextHeartbeat, lastHeard + timeout))
    }

    /// Runs until the session is closed for silence, its mailbox is closed, or the task is cancelled.
    func run(_ session: AgentSession) async {
        var next = session.admittedAt + interval
        while true {
            let now = clock.now()
            switch step(now: now, lastHeard: session.lastHeardAt, nextHeartbeat: next) {
            case .wait(let deadline):
                do {
                    try await clock.sleep(until: deadline)
                } catch {
                    return
                }
            case .heartbeat(let following):
                guard session.mailbox.send(.heartbeat(.init(sentAtMS: Self.milliseconds(now), running: []))) else {
                    return
                }
                next = following
            case .close(let silence):
                logger.notice("agent \(session.name): nothing received for \(Self.milliseconds(silence)) ms "
                              + "(heartbeat timeout); closing its connection, its attempts keep their leases")
                session.close(reason: "heartbeat timeout")
                return
            }
        }
    }

    /// Whole milliseconds of `duration` (rounded down).
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
