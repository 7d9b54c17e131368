import BenchJSON
import BenchProtocol
import BenchWire

/// Something an agent reports as it goes: for log lines, progress and tests that wait on real events.
public enum AgentEvent: Sendable, Hashable {
    /// A session was welcomed by the coordinator at `coordinator` (`HOST:PORT`).
    case connected(coordinator: String, collectionID: String, reattached: [TaskRef], cancelled: [TaskRef])
    /// The session ended; the agent reconnects unless it stops.
    case disconnected(reason: String)
    /// The next connection attempt starts after `delay`; `attempt` counts failed tries since the last welcome.
    case reconnecting(after: Duration, attempt: Int)
    /// The coordinator refused the session.
    case rejected(code: RejectCode, reason: String)
    /// An attempt began executing.
    case attemptStarted(TaskRef)
    /// An attempt produced its result (`success` as the outcome says), now durable in the outbox.
    case attemptFinished(TaskRef, success: Bool)
    /// An attempt was stopped before it produced a result.
    case attemptCancelled(TaskRef, reason: String)
    /// Results were sent to the coordinator (in one write).
    case resultsSent([TaskRef])
    /// After `welcome`: `count` results of `collectionID`, not the coordinator's current collection, stay in the
    /// outbox unsent (reported once per session and collection, and for each such result finished later).
    case resultsHeldBack(collectionID: String, count: Int)
    /// The coordinator acknowledged a result; it is deleted from the outbox (``AckStatus/refused``: kept, marked
    /// refused).
    case acknowledged(TaskRef, AckStatus)
    /// After `welcome`: the outbox at `path` holds `count` results the coordinator refused (reported once per
    /// session); they are kept for an operator and not resent to their collection.
    case refusedResultsKept(count: Int, path: String)
    /// The coordinator asked the agent to drain.
    case draining(reason: String)
    /// Drain complete: every result acknowledged, `bye` sent.
    case drained
    /// The trainer cannot be reached (`reason`, e.g. connection refused): the agent takes no work until it can.
    case trainerUnreachable(reason: String)
    /// The trainer answers again (its `/health` answered): the agent takes work again.
    case trainerReachable
}
