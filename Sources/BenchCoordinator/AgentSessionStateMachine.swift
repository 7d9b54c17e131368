import BenchJSON
import BenchProtocol
import BenchWire

/// Decides what each inbound frame of an agent connection means (docs/protocol.md sections 6 and 8); the
/// connection handler does the I/O.
///
///     awaitingHello ──hello──▶ (admission) ──welcome──▶ established ──bye / error / close──▶ closed
///           └──────────── anything else, undecodable ──reject──▶ closed
struct AgentSessionStateMachine: Sendable {
    enum State: Equatable, Sendable {
        case awaitingHello, registering, established, closed
    }

    enum FirstFrameAction: Equatable, Sendable {
        /// A valid hello: check the identity and register the session.
        case register(WireMessage.Hello)
        /// Answer `reject` and close.
        case reject(RejectCode, reason: String)
    }

    enum Action: Equatable, Sendable {
        /// Liveness, with the attempts the agent executes (their leases are renewed).
        case heartbeat(running: [TaskRef])
        /// `started` or `progress`: the attempt is alive (lease renewed).
        case renew(TaskRef)
        /// A result to record and acknowledge.
        case result(WireMessage.TaskResult)
        /// The agent said `bye`: stop reading and close.
        case peerClosed(reason: String)
        /// A valid message that is not allowed now: send `bye` with the reason and close.
        case violation(reason: String)
        /// Nothing to do (the connection is already closing).
        case ignore
    }

    private(set) var state: State = .awaitingHello

    /// The first frame of the connection.
    mutating func firstFrame(_ message: WireMessage) -> FirstFrameAction {
        guard state == .awaitingHello else {
            preconditionFailure("firstFrame called twice")
        }
        guard case .hello(let hello) = message else {
            state = .closed
            return .reject(.badHello, reason: "the first frame must be hello, got \(message.type.rawValue)")
        }
        state = .registering
        return .register(hello)
    }

    /// The scheduler welcomed the agent.
    mutating func welcomed() {
        precondition(state == .registering, "welcomed without a hello")
        state = .established
    }

    /// The session was refused after its hello.
    mutating func rejected() {
        state = .closed
    }

    /// A frame after the welcome.
    mutating func received(_ message: WireMessage) -> Action {
        guard state == .established else { return .ignore }
        switch message {
        case .heartbeat(let heartbeat):
            return .heartbeat(running: heartbeat.running)
        case .started(let started):
            return .renew(started.task)
        case .progress(let progress):
            return .renew(progress.task)
        case .result(let result):
            return .result(result)
        case .bye(let bye):
            state = .closed
            return .peerClosed(reason: bye.reason)
        case .hello, .welcome, .reject, .assign, .ack, .cancel, .drain:
            state = .closed
            return .violation(reason: "unexpected \(message.type.rawValue) from an agent in an established session")
        }
    }

    /// The connection failed to decode a frame: the reply to send before closing (`reject` while waiting for
    /// the hello, `bye` afterwards), if any.
    mutating func decodingFailed(_ error: WireError) -> WireMessage? {
        defer { state = .closed }
        switch state {
        case .awaitingHello:
            return .reject(.init(code: .forUndecodableHello(error), reason: error.description))
        case .established:
            return .bye(.init(reason: "protocol error: \(error.description)"))
        case .registering, .closed:
            return nil
        }
    }
}

/// Who may connect: the agent's identity is its certificate's common name, optionally restricted to a list.
enum AgentAdmission {
    /// The agent name, or the reason to reject it with `not_allowed`.
    static func identity(commonName: String?, allowed: Set<String>) -> Result<String, AdmissionRefusal> {
        guard let name = commonName, !name.isEmpty else {
            return .failure(AdmissionRefusal(reason: "the client certificate has no common name"))
        }
        guard allowed.isEmpty || allowed.contains(name) else {
            return .failure(AdmissionRefusal(reason: "agent '\(name)' is not on the coordinator's allow-list"))
        }
        return .success(name)
    }
}

/// Why an agent was not admitted.
struct AdmissionRefusal: Error, Equatable, Sendable {
    let reason: String
}
