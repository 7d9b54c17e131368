import BenchJSON
import BenchProtocol
import BenchWire

/// How one connection to the coordinator ended, as the reconnect loop sees it.
enum SessionEnd: Equatable, Sendable {
    /// Drain completed: every result acknowledged, `bye` sent.
    case drained
    /// The coordinator answered `hello` with `reject`.
    case rejected(WireMessage.Reject)
    /// The coordinator said `bye`.
    case closedByCoordinator(reason: String)
    /// Transport failure, EOF, heartbeat timeout or a protocol error.
    case lost(reason: String)
    /// The coordinator speaks another protocol version.
    case incompatible(reason: String)
    /// TCP connect or TLS handshake failed.
    case connectFailed(reason: String)
    /// The agent was stopped (SIGINT/SIGTERM: the calling task was cancelled).
    case cancelled

    /// What the agent does next.
    enum NextStep: Equatable, Sendable {
        /// Exit successfully (drained).
        case finish
        /// Stop with an error an operator must act on.
        case stop(code: AgentError.Code, rejectCode: RejectCode?, reason: String)
        /// Connect again after a backoff wait; `resetBackoff` when the session had been welcomed (a working
        /// coordinator that dropped us is retried quickly, a failing one ever more slowly).
        case retry(resetBackoff: Bool)
        /// Stop because the agent was cancelled.
        case cancelled
    }

    /// Decides what follows this end.
    /// - Parameters:
    ///   - welcomed: the session had received `welcome`.
    ///   - drainedAndIdle: a `drain` was received (in any session) and nothing is running or waiting for an ack,
    ///     so a connection lost now has nothing left to deliver.
    func nextStep(welcomed: Bool, drainedAndIdle: Bool) -> NextStep {
        switch self {
        case .drained:
            return .finish
        case .cancelled:
            return .cancelled
        case .rejected(let reject):
            if reject.code == .duplicateAgent || reject.code == .shuttingDown { return .retry(resetBackoff: false) }
            return .stop(code: .rejected, rejectCode: reject.code, reason: reject.reason)
        case .incompatible(let reason):
            return .stop(code: .incompatibleProtocol, rejectCode: nil, reason: reason)
        case .closedByCoordinator, .lost:
            return drainedAndIdle ? .finish : .retry(resetBackoff: welcomed)
        case .connectFailed:
            return drainedAndIdle ? .finish : .retry(resetBackoff: false)
        }
    }
}
