import BenchJSON

extension WireMessage {
    /// Decodes one message from its JSON text: the only decoder of the wire messages.
    ///
    /// Throws ``WireError/invalidJSON(reason:)`` for bytes that are not JSON (what and at which byte) or JSON that is
    /// not an object, and otherwise the error that names the failing member.
    public init(jsonBytes bytes: UnsafeRawBufferPointer) throws(WireError) {
        let json: JSONValue
        do {
            json = try JSONReader.value(from: bytes)
        } catch {
            throw .invalidJSON(reason: error.description)
        }
        try self.init(json: json)
    }

    /// Builds the message a parsed JSON object stands for, checking every field: required members and their
    /// types, positive lease and timeout, `slots` at least 1, `fraction` within 0...1, the protocol version (before
    /// any other member of `hello` and `welcome`), a known `type`.
    public init(json: JSONValue) throws(WireError) {
        guard case .object(let members) = json else {
            throw .invalidJSON(reason: "the frame holds JSON that is not an object")
        }
        guard case .string(let typeName)? = members["type"] else { throw .missingType }
        guard let type = WireMessageType(rawValue: typeName) else { throw .unknownType(typeName) }
        let fields = try JSONFields(json, messageType: typeName, path: "")
        switch type {
        case .hello: self = .hello(try Hello(fields))
        case .welcome: self = .welcome(try Welcome(fields))
        case .reject: self = .reject(try Reject(fields))
        case .assign: self = .assign(try Assign(fields))
        case .started: self = .started(try Started(fields))
        case .progress: self = .progress(try Progress(fields))
        case .result: self = .result(try TaskResult(fields))
        case .ack: self = .ack(try Ack(fields))
        case .heartbeat: self = .heartbeat(try Heartbeat(fields))
        case .cancel: self = .cancel(try Cancel(task: fields.taskRef("task"), reason: fields.string("reason")))
        case .drain: self = .drain(Drain(reason: try fields.string("reason")))
        case .bye: self = .bye(Bye(reason: try fields.string("reason")))
        }
    }
}

extension JSONFields {
    /// `protocol_version`, refused with ``WireError/unsupportedProtocolVersion(received:supported:)`` unless it is
    /// the version this build speaks.
    func supportedVersion() throws(WireError) -> Int {
        let version = try int("protocol_version")
        guard version == WireProtocol.version else {
            throw .unsupportedProtocolVersion(received: version, supported: WireProtocol.version)
        }
        return version
    }
}

extension WireMessage.Hello {
    fileprivate init(_ fields: JSONFields) throws(WireError) {
        _ = try fields.supportedVersion()
        let agentID = try fields.string("agent_id")
        let slots = try fields.int("slots")
        guard slots >= 1 else { throw fields.invalid("slots", "must be at least 1") }
        self.init(agentID: agentID, slots: slots, labels: try fields.stringDictionary("labels"),
                  running: try fields.taskRefs("running"), queuedResults: try fields.taskRefs("queued_results"),
                  software: try fields.optionalString("software"),
                  features: try fields.optionalStrings("features") ?? [],
                  trainerUnreachable: try fields.optionalString("trainer_unreachable"))
    }
}

extension WireMessage.Welcome {
    fileprivate init(_ fields: JSONFields) throws(WireError) {
        _ = try fields.supportedVersion()
        let agentID = try fields.string("agent_id")
        let collectionID = try fields.string("collection_id")
        let interval = try fields.int("heartbeat_interval_ms")
        guard interval >= 1 else { throw fields.invalid("heartbeat_interval_ms", "must be at least 1") }
        let timeout = try fields.int("heartbeat_timeout_ms")
        guard timeout >= interval else {
            throw fields.invalid("heartbeat_timeout_ms", "must be at least heartbeat_interval_ms")
        }
        self.init(agentID: agentID, collectionID: collectionID, heartbeatIntervalMS: interval,
                  heartbeatTimeoutMS: timeout, reattached: try fields.taskRefs("reattached"),
                  cancelled: try fields.taskRefs("cancelled"))
    }
}

extension WireMessage.Reject {
    fileprivate init(_ fields: JSONFields) throws(WireError) {
        let code = try fields.nonEmptyString("code")
        self.init(code: RejectCode(rawValue: code), reason: try fields.string("reason"))
    }
}

extension WireMessage.Assign {
    fileprivate init(_ fields: JSONFields) throws(WireError) {
        let task = try fields.taskRef("task")
        let kind = try fields.enumeration("kind", as: TaskKind.self)
        let leaseMS = try fields.int("lease_ms")
        guard leaseMS >= 1 else { throw fields.invalid("lease_ms", "must be at least 1") }
        let timeoutMS = try fields.int("timeout_ms")
        guard timeoutMS >= 1 else { throw fields.invalid("timeout_ms", "must be at least 1") }
        self.init(task: task, kind: kind, leaseMS: leaseMS, timeoutMS: timeoutMS, payload: try fields.value("payload"),
                  trainerPath: try fields.optionalString("trainer_path"), target: try fields.optionalString("target"),
                  targetURL: try fields.optionalString("target_url"), after: try fields.optionalTaskRef("after"))
    }
}

extension WireMessage.Started {
    fileprivate init(_ fields: JSONFields) throws(WireError) {
        self.init(task: try fields.taskRef("task"), startedAt: try fields.timestamp("started_at"))
    }
}

extension WireMessage.Progress {
    fileprivate init(_ fields: JSONFields) throws(WireError) {
        let task = try fields.taskRef("task")
        let message = try fields.string("message")
        let fraction = try fields.optionalDouble("fraction")
        if let fraction, !(0...1).contains(fraction) { throw fields.invalid("fraction", "must be between 0 and 1") }
        self.init(task: task, message: message, fraction: fraction)
    }
}

extension WireMessage.TaskResult {
    fileprivate init(_ fields: JSONFields) throws(WireError) {
        self.init(task: try fields.taskRef("task"), outcome: try fields.value("outcome"),
                  finishedAt: try fields.timestamp("finished_at"))
    }
}

extension WireMessage.Ack {
    fileprivate init(_ fields: JSONFields) throws(WireError) {
        let task = try fields.taskRef("task")
        let status = try fields.enumeration("status", as: AckStatus.self)
        let reason = try fields.optionalString("reason")
        guard (status == .refused) == (reason != nil) else {
            throw fields.invalid("reason", "must be present exactly when status is refused")
        }
        self.init(task: task, status: status, reason: reason)
    }
}

extension WireMessage.Heartbeat {
    fileprivate init(_ fields: JSONFields) throws(WireError) {
        self.init(sentAtMS: Int64(try fields.int("sent_at_ms")), running: try fields.taskRefs("running"),
                  trainerUnreachable: try fields.optionalString("trainer_unreachable"))
    }
}
