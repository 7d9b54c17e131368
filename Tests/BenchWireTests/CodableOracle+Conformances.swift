import BenchJSON
import BenchProtocol
import Foundation

// The wire types' Codable conformances, written the way the product had them before BenchProtocol's one decoder and
// one encoder per type (Sources/BenchProtocol/Messages/WireMessage+JSONReading.swift, +JSONWriting.swift): the
// oracle those are checked against (``CodableOracle``). Tests only: no product code has a Codable wire message.
// Swift synthesizes Codable only in the type's own file, so every conformance is spelled out here.

extension KeyedDecodingContainer {
    /// Throws a `dataCorrupted` error naming `key` unless `condition` holds.
    func require(_ condition: Bool, _ key: Key, _ reason: String) throws {
        if !condition {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: reason)
        }
    }

    /// A `protocol_version` that is the version this build speaks.
    func supportedVersion(forKey key: Key) throws -> Int {
        let version = try decode(Int.self, forKey: key)
        guard version == WireProtocol.version else {
            throw WireError.unsupportedProtocolVersion(received: version, supported: WireProtocol.version)
        }
        return version
    }
}

extension WireMessage: Codable {
    private enum TypeKey: String, CodingKey {
        case type
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        guard let typeName = try? container.decode(String.self, forKey: .type) else { throw WireError.missingType }
        guard let type = WireMessageType(rawValue: typeName) else { throw WireError.unknownType(typeName) }
        switch type {
        case .hello: self = .hello(try Hello(from: decoder))
        case .welcome: self = .welcome(try Welcome(from: decoder))
        case .reject: self = .reject(try Reject(from: decoder))
        case .assign: self = .assign(try Assign(from: decoder))
        case .started: self = .started(try Started(from: decoder))
        case .progress: self = .progress(try Progress(from: decoder))
        case .result: self = .result(try TaskResult(from: decoder))
        case .ack: self = .ack(try Ack(from: decoder))
        case .heartbeat: self = .heartbeat(try Heartbeat(from: decoder))
        case .cancel: self = .cancel(try Cancel(from: decoder))
        case .drain: self = .drain(try Drain(from: decoder))
        case .bye: self = .bye(try Bye(from: decoder))
        }
    }

    /// One flat JSON object: `"type"` plus the fields of the associated struct.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type.rawValue, forKey: .type)
        switch self {
        case .hello(let body): try body.encode(to: encoder)
        case .welcome(let body): try body.encode(to: encoder)
        case .reject(let body): try body.encode(to: encoder)
        case .assign(let body): try body.encode(to: encoder)
        case .started(let body): try body.encode(to: encoder)
        case .progress(let body): try body.encode(to: encoder)
        case .result(let body): try body.encode(to: encoder)
        case .ack(let body): try body.encode(to: encoder)
        case .heartbeat(let body): try body.encode(to: encoder)
        case .cancel(let body): try body.encode(to: encoder)
        case .drain(let body): try body.encode(to: encoder)
        case .bye(let body): try body.encode(to: encoder)
        }
    }
}

extension TaskRef: Codable {
    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case attempt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let taskID = try container.decode(String.self, forKey: .taskID)
        let attempt = try container.decode(Int.self, forKey: .attempt)
        try container.require(!taskID.isEmpty, .taskID, "must not be empty")
        try container.require(attempt >= 1, .attempt, "must be at least 1")
        self.init(taskID: taskID, attempt: attempt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(taskID, forKey: .taskID)
        try container.encode(attempt, forKey: .attempt)
    }
}

extension WireTimestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let stamp = WireTimestamp(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO-8601 date-time")
        }
        self = stamp
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension RejectCode: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if text.isEmpty { throw DecodingError.dataCorruptedError(in: container, debugDescription: "must not be empty") }
        self.init(rawValue: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension AckStatus: Codable {}
extension TaskKind: Codable {}

extension WireMessage.Hello: Codable {
    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol_version"
        case agentID = "agent_id"
        case slots, labels, running
        case queuedResults = "queued_results"
        case software, features
        case trainerUnreachable = "trainer_unreachable"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.supportedVersion(forKey: .protocolVersion)
        let slots = try container.decode(Int.self, forKey: .slots)
        self.init(
            protocolVersion: version, agentID: try container.decode(String.self, forKey: .agentID), slots: slots,
            labels: try container.decode([String: String].self, forKey: .labels),
            running: try container.decode([TaskRef].self, forKey: .running),
            queuedResults: try container.decode([TaskRef].self, forKey: .queuedResults),
            software: try container.decodeIfPresent(String.self, forKey: .software),
            features: try container.decodeIfPresent([String].self, forKey: .features) ?? [],
            trainerUnreachable: try container.decodeIfPresent(String.self, forKey: .trainerUnreachable))
        try container.require(slots >= 1, .slots, "must be at least 1")
    }

    /// `features` only when not empty.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(protocolVersion, forKey: .protocolVersion)
        try container.encode(agentID, forKey: .agentID)
        try container.encode(slots, forKey: .slots)
        try container.encode(labels, forKey: .labels)
        try container.encode(running, forKey: .running)
        try container.encode(queuedResults, forKey: .queuedResults)
        try container.encodeIfPresent(software, forKey: .software)
        if !features.isEmpty { try container.encode(features, forKey: .features) }
        try container.encodeIfPresent(trainerUnreachable, forKey: .trainerUnreachable)
    }
}

extension WireMessage.Welcome: Codable {
    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol_version"
        case agentID = "agent_id"
        case collectionID = "collection_id"
        case heartbeatIntervalMS = "heartbeat_interval_ms"
        case heartbeatTimeoutMS = "heartbeat_timeout_ms"
        case reattached, cancelled
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.supportedVersion(forKey: .protocolVersion)
        let interval = try container.decode(Int.self, forKey: .heartbeatIntervalMS)
        let timeout = try container.decode(Int.self, forKey: .heartbeatTimeoutMS)
        self.init(
            protocolVersion: version, agentID: try container.decode(String.self, forKey: .agentID),
            collectionID: try container.decode(String.self, forKey: .collectionID), heartbeatIntervalMS: interval,
            heartbeatTimeoutMS: timeout, reattached: try container.decode([TaskRef].self, forKey: .reattached),
            cancelled: try container.decode([TaskRef].self, forKey: .cancelled))
        try container.require(interval >= 1, .heartbeatIntervalMS, "must be at least 1")
        try container.require(timeout >= interval, .heartbeatTimeoutMS, "must be at least heartbeat_interval_ms")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(protocolVersion, forKey: .protocolVersion)
        try container.encode(agentID, forKey: .agentID)
        try container.encode(collectionID, forKey: .collectionID)
        try container.encode(heartbeatIntervalMS, forKey: .heartbeatIntervalMS)
        try container.encode(heartbeatTimeoutMS, forKey: .heartbeatTimeoutMS)
        try container.encode(reattached, forKey: .reattached)
        try container.encode(cancelled, forKey: .cancelled)
    }
}

extension WireMessage.Reject: Codable {
    enum CodingKeys: String, CodingKey {
        case code, reason
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try container.decode(RejectCode.self, forKey: .code),
                  reason: try container.decode(String.self, forKey: .reason))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(reason, forKey: .reason)
    }
}

extension WireMessage.Heartbeat: Codable {
    enum CodingKeys: String, CodingKey {
        case sentAtMS = "sent_at_ms"
        case running
        case trainerUnreachable = "trainer_unreachable"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(sentAtMS: try container.decode(Int64.self, forKey: .sentAtMS),
                  running: try container.decode([TaskRef].self, forKey: .running),
                  trainerUnreachable: try container.decodeIfPresent(String.self, forKey: .trainerUnreachable))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sentAtMS, forKey: .sentAtMS)
        try container.encode(running, forKey: .running)
        try container.encodeIfPresent(trainerUnreachable, forKey: .trainerUnreachable)
    }
}

/// The messages whose only field besides their type is `reason` (`drain`, `bye`).
private enum ReasonKey: String, CodingKey {
    case reason
}

extension WireMessage.Drain: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(reason: try decoder.container(keyedBy: ReasonKey.self).decode(String.self, forKey: .reason))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ReasonKey.self)
        try container.encode(reason, forKey: .reason)
    }
}

extension WireMessage.Bye: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(reason: try decoder.container(keyedBy: ReasonKey.self).decode(String.self, forKey: .reason))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ReasonKey.self)
        try container.encode(reason, forKey: .reason)
    }
}

extension WireMessage.Assign: Codable {
    enum CodingKeys: String, CodingKey {
        case task, kind
        case leaseMS = "lease_ms"
        case timeoutMS = "timeout_ms"
        case payload
        case trainerPath = "trainer_path"
        case target
        case targetURL = "target_url"
        case after
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let leaseMS = try container.decode(Int.self, forKey: .leaseMS)
        let timeoutMS = try container.decode(Int.self, forKey: .timeoutMS)
        self.init(
            task: try container.decode(TaskRef.self, forKey: .task),
            kind: try container.decode(TaskKind.self, forKey: .kind), leaseMS: leaseMS, timeoutMS: timeoutMS,
            payload: try container.decode(JSONValue.self, forKey: .payload),
            trainerPath: try container.decodeIfPresent(String.self, forKey: .trainerPath),
            target: try container.decodeIfPresent(String.self, forKey: .target),
            targetURL: try container.decodeIfPresent(String.self, forKey: .targetURL),
            after: try container.decodeIfPresent(TaskRef.self, forKey: .after))
        try container.require(leaseMS >= 1, .leaseMS, "must be at least 1")
        try container.require(timeoutMS >= 1, .timeoutMS, "must be at least 1")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task, forKey: .task)
        try container.encode(kind, forKey: .kind)
        try container.encode(leaseMS, forKey: .leaseMS)
        try container.encode(timeoutMS, forKey: .timeoutMS)
        try container.encode(payload, forKey: .payload)
        try container.encodeIfPresent(trainerPath, forKey: .trainerPath)
        try container.encodeIfPresent(target, forKey: .target)
        try container.encodeIfPresent(targetURL, forKey: .targetURL)
        try container.encodeIfPresent(after, forKey: .after)
    }
}

extension WireMessage.Started: Codable {
    enum CodingKeys: String, CodingKey {
        case task
        case startedAt = "started_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(task: try container.decode(TaskRef.self, forKey: .task),
                  startedAt: try container.decode(WireTimestamp.self, forKey: .startedAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task, forKey: .task)
        try container.encode(startedAt, forKey: .startedAt)
    }
}

extension WireMessage.Progress: Codable {
    enum CodingKeys: String, CodingKey {
        case task, message, fraction
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let fraction = try container.decodeIfPresent(Double.self, forKey: .fraction)
        self.init(task: try container.decode(TaskRef.self, forKey: .task),
                  message: try container.decode(String.self, forKey: .message), fraction: fraction)
        if let fraction {
            try container.require((0...1).contains(fraction), .fraction, "must be between 0 and 1")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task, forKey: .task)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(fraction, forKey: .fraction)
    }
}

extension WireMessage.TaskResult: Codable {
    enum CodingKeys: String, CodingKey {
        case task, outcome
        case finishedAt = "finished_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(task: try container.decode(TaskRef.self, forKey: .task),
                  outcome: try container.decode(JSONValue.self, forKey: .outcome),
                  finishedAt: try container.decode(WireTimestamp.self, forKey: .finishedAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task, forKey: .task)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(finishedAt, forKey: .finishedAt)
    }
}

extension WireMessage.Ack: Codable {
    enum CodingKeys: String, CodingKey {
        case task, status, reason
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let status = try container.decode(AckStatus.self, forKey: .status)
        let reason = try container.decodeIfPresent(String.self, forKey: .reason)
        self.init(task: try container.decode(TaskRef.self, forKey: .task), status: status, reason: reason)
        try container.require((status == .refused) == (reason != nil), .reason,
                              "must be present exactly when status is refused")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task, forKey: .task)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(reason, forKey: .reason)
    }
}

extension WireMessage.Cancel: Codable {
    enum CodingKeys: String, CodingKey {
        case task, reason
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(task: try container.decode(TaskRef.self, forKey: .task),
                  reason: try container.decode(String.self, forKey: .reason))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task, forKey: .task)
        try container.encode(reason, forKey: .reason)
    }
}
