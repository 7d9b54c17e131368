import BenchJSON
extension WireMessage {
    /// Builds the message a parsed JSON object stands for, checking everything the Codable initializers check
    /// (required fields and their types, positive lease and timeout, `slots` at least 1, `fraction` within 0...1,
    /// the protocol version, a known `type`).
    ///
    /// Returns nil whenever the Codable decoding would fail, and for a few unusual inputs it would accept (a `null`
    /// payload, integers of 2^53 or more); ``WireCodec`` then runs the Codable decoding, whose verdict and error
    /// are authoritative.
    package init?(parsed json: JSONValue) {
        guard let fields = JSONFields(json), let typeName = fields.string("type"),
            let type = WireMessageType(rawValue: typeName)
        else { return nil }
        let message: WireMessage?
        switch type {
        case .hello: message = Hello(fields).map(WireMessage.hello)
        case .welcome: message = Welcome(fields).map(WireMessage.welcome)
        case .reject: message = Reject(fields).map(WireMessage.reject)
        case .assign: message = Assign(fields).map(WireMessage.assign)
        case .started: message = Started(fields).map(WireMessage.started)
        case .progress: message = Progress(fields).map(WireMessage.progress)
        case .result: message = TaskResult(fields).map(WireMessage.result)
        case .ack: message = Ack(fields).map(WireMessage.ack)
        case .heartbeat: message = Heartbeat(fields).map(WireMessage.heartbeat)
        case .cancel: message = Cancel(fields).map(WireMessage.cancel)
        case .drain: message = fields.string("reason").map { .drain(Drain(reason: $0)) }
        case .bye: message = fields.string("reason").map { .bye(Bye(reason: $0)) }
        }
        guard let message else { return nil }
        self = message
    }
}

extension WireMessage.Hello {
    fileprivate init?(_ fields: JSONFields) {
        guard fields.int("protocol_version") == WireProtocol.version, let agentID = fields.string("agent_id"),
            let slots = fields.int("slots"), slots >= 1, let labels = fields.stringDictionary("labels"),
            let running = fields.taskRefs("running"), let queuedResults = fields.taskRefs("queued_results"),
            let software = fields.optionalString("software"), let features = fields.optionalStrings("features"),
            let trainerUnreachable = fields.optionalString("trainer_unreachable")
        else { return nil }
        self.init(agentID: agentID, slots: slots, labels: labels, running: running, queuedResults: queuedResults,
                  software: software, features: features ?? [], trainerUnreachable: trainerUnreachable)
    }
}

extension WireMessage.Welcome {
    fileprivate init?(_ fields: JSONFields) {
        guard fields.int("protocol_version") == WireProtocol.version, let agentID = fields.string("agent_id"),
            let collectionID = fields.string("collection_id"),
            let interval = fields.int("heartbeat_interval_ms"), interval >= 1,
            let timeout = fields.int("heartbeat_timeout_ms"), timeout >= interval,
            let reattached = fields.taskRefs("reattached"), let cancelled = fields.taskRefs("cancelled")
        else { return nil }
        self.init(agentID: agentID, collectionID: collectionID, heartbeatIntervalMS: interval,
                  heartbeatTimeoutMS: timeout, reattached: reattached, cancelled: cancelled)
    }
}

extension WireMessage.Reject {
    fileprivate init?(_ fields: JSONFields) {
        guard let code = fields.nonEmptyString("code"), let reason = fields.string("reason") else { return nil }
        self.init(code: RejectCode(rawValue: code), reason: reason)
    }
}

extension WireMessage.Assign {
    fileprivate init?(_ fields: JSONFields) {
        guard let task = fields.taskRef("task"), let kind = fields.string("kind").flatMap(TaskKind.init(rawValue:)),
            let leaseMS = fields.int("lease_ms"), leaseMS >= 1, let timeoutMS = fields.int("timeout_ms"),
            timeoutMS >= 1, let payload = fields.value("payload"),
            let trainerPath = fields.optionalString("trainer_path"), let target = fields.optionalString("target"),
            let targetURL = fields.optionalString("target_url"), let after = fields.optionalTaskRef("after")
        else { return nil }
        self.init(task: task, kind: kind, leaseMS: leaseMS, timeoutMS: timeoutMS, payload: payload,
                  trainerPath: trainerPath, target: target, targetURL: targetURL, after: after)
    }
}

extension WireMessage.Started {
    fileprivate init?(_ fields: JSONFields) {
        guard let task = fields.taskRef("task"), let startedAt = fields.timestamp("started_at") else { return nil }
        self.init(task: task, startedAt: startedAt)
    }
}

extension WireMessage.Progress {
    fileprivate init?(_ fields: JSONFields) {
        guard let task = fields.taskRef("task"), let message = fields.string("message"),
            let fraction = fields.optionalDouble("fraction")
        else { return nil }
        if let fraction, !(0...1).contains(fraction) { return nil }
        self.init(task: task, message: message, fraction: fraction)
    }
}

extension WireMessage.TaskResult {
    fileprivate init?(_ fields: JSONFields) {
        guard let task = fields.taskRef("task"), let outcome = fields.value("outcome"),
            let finishedAt = fields.timestamp("finished_at")
        else { return nil }
        self.init(task: task, outcome: outcome, finishedAt: finishedAt)
    }
}

extension WireMessage.Ack {
    fileprivate init?(_ fields: JSONFields) {
        guard let task = fields.taskRef("task"),
            let status = fields.string("status").flatMap(AckStatus.init(rawValue:)),
            let reason = fields.optionalString("reason"), (status == .refused) == (reason != nil)
        else { return nil }
        self.init(task: task, status: status, reason: reason)
    }
}

extension WireMessage.Heartbeat {
    fileprivate init?(_ fields: JSONFields) {
        guard let sentAtMS = fields.int("sent_at_ms"), let running = fields.taskRefs("running"),
            let trainerUnreachable = fields.optionalString("trainer_unreachable")
        else { return nil }
        self.init(sentAtMS: Int64(sentAtMS), running: running, trainerUnreachable: trainerUnreachable)
    }
}

extension WireMessage.Cancel {
    fileprivate init?(_ fields: JSONFields) {
        guard let task = fields.taskRef("task"), let reason = fields.string("reason") else { return nil }
        self.init(task: task, reason: reason)
    }
}
