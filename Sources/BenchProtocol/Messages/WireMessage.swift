import BenchJSON
/// One message of the coordinator–agent protocol: the JSON object inside one frame.
///
/// On the wire each message is a flat JSON object whose `"type"` member names the case and whose other members
/// are the fields of the associated struct, in snake_case:
///
///     {"type":"ack","task":{"task_id":"baseline-1-1-US","attempt":1},"status":"committed"}
///
/// Member order is not significant and unknown members are ignored; see `docs/protocol.md`.
public enum WireMessage: Sendable, Hashable {
    /// Agent → coordinator, first frame.
    case hello(Hello)
    /// Coordinator → agent, accepts the session.
    case welcome(Welcome)
    /// Coordinator → agent, refuses the session.
    case reject(Reject)
    /// Coordinator → agent, run an attempt.
    case assign(Assign)
    /// Agent → coordinator, an attempt began.
    case started(Started)
    /// Agent → coordinator, an informational update.
    case progress(Progress)
    /// Agent → coordinator, an attempt's measurement.
    case result(TaskResult)
    /// Coordinator → agent, a result is durable.
    case ack(Ack)
    /// Both ways, liveness.
    case heartbeat(Heartbeat)
    /// Coordinator → agent, drop an attempt.
    case cancel(Cancel)
    /// Coordinator → agent, no more assignments.
    case drain(Drain)
    /// Both ways, the sender closes on purpose.
    case bye(Bye)

    /// The value of the `"type"` member for this message.
    public var type: WireMessageType {
        switch self {
        case .hello: return .hello
        case .welcome: return .welcome
        case .reject: return .reject
        case .assign: return .assign
        case .started: return .started
        case .progress: return .progress
        case .result: return .result
        case .ack: return .ack
        case .heartbeat: return .heartbeat
        case .cancel: return .cancel
        case .drain: return .drain
        case .bye: return .bye
        }
    }
}

/// The message types of protocol version ``WireProtocol/version``, spelled as in the `"type"` member.
public enum WireMessageType: String, Sendable, Hashable, CaseIterable {
    case hello, welcome, reject, assign, started, progress, result, ack, heartbeat, cancel, drain, bye
}
