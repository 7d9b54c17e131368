import BenchJSON
/// The coordinator's verdict on a `result`, sent in `ack` once the verdict is durable.
public enum AckStatus: String, Sendable, Hashable, CaseIterable {
    /// The result was recorded as the task's outcome.
    case committed
    /// The same attempt's result had been recorded before; nothing changed.
    case duplicate
    /// The attempt is no longer the task's current one; the result was stored for audit only.
    case stale
    /// The result was refused (an attempt never assigned to the agent, an unknown job, an outcome that is not a
    /// measurement of the task): nothing was stored or counted. The `ack` carries the reason; the agent keeps the
    /// result on disk for an operator and does not resend it in this collection.
    case refused
}
