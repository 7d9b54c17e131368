import NIOCore

extension WireMessage {
    /// Appends the message as one flat JSON object, byte for byte what the Codable encoding through `JSONEncoder`
    /// (`[.sortedKeys, .withoutEscapingSlashes]`) produces: members in UTF-8 order of their names, absent optionals
    /// left out. Throws for a non-finite number or over-deep nesting in a payload; part of the message may have
    /// been written by then.
    func writeJSON(into buffer: inout ByteBuffer) throws(JSONWriteError) {
        switch self {
        case .hello(let hello): hello.writeJSON(into: &buffer)
        case .welcome(let welcome): welcome.writeJSON(into: &buffer)
        case .reject(let reject):
            buffer.writeStaticString(#"{"code":"#)
            JSONWriter.writeString(reject.code.rawValue, into: &buffer)
            buffer.writeStaticString(#","reason":"#)
            JSONWriter.writeString(reject.reason, into: &buffer)
            buffer.writeStaticString(#","type":"reject"}"#)
        case .assign(let assign): try assign.writeJSON(into: &buffer)
        case .started(let started):
            buffer.writeStaticString(#"{"started_at":"#)
            JSONWriter.writeString(started.startedAt.rawValue, into: &buffer)
            buffer.writeStaticString(#","task":"#)
            started.task.writeJSON(into: &buffer)
            buffer.writeStaticString(#","type":"started"}"#)
        case .progress(let progress): try progress.writeJSON(into: &buffer)
        case .result(let result):
            buffer.writeStaticString(#"{"finished_at":"#)
            JSONWriter.writeString(result.finishedAt.rawValue, into: &buffer)
            buffer.writeStaticString(#","outcome":"#)
            try JSONWriter.write(result.outcome, into: &buffer, depth: 1)
            buffer.writeStaticString(#","task":"#)
            result.task.writeJSON(into: &buffer)
            buffer.writeStaticString(#","type":"result"}"#)
        case .ack(let ack):
            buffer.writeStaticString(#"{"status":"#)
            JSONWriter.writeString(ack.status.rawValue, into: &buffer)
            buffer.writeStaticString(#","task":"#)
            ack.task.writeJSON(into: &buffer)
            buffer.writeStaticString(#","type":"ack"}"#)
        case .heartbeat(let heartbeat):
            buffer.writeStaticString(#"{"running":"#)
            heartbeat.running.writeJSON(into: &buffer)
            buffer.writeStaticString(#","sent_at_ms":"#)
            JSONWriter.writeInteger(heartbeat.sentAtMS, into: &buffer)
            buffer.writeStaticString(#","type":"heartbeat"}"#)
        case .cancel(let cancel):
            buffer.writeStaticString(#"{"reason":"#)
            JSONWriter.writeString(cancel.reason, into: &buffer)
            buffer.writeStaticString(#","task":"#)
            cancel.task.writeJSON(into: &buffer)
            buffer.writeStaticString(#","type":"cancel"}"#)
        case .drain(let drain):
            buffer.writeStaticString(#"{"reason":"#)
            JSONWriter.writeString(drain.reason, into: &buffer)
            buffer.writeStaticString(#","type":"drain"}"#)
        case .bye(let bye):
            buffer.writeStaticString(#"{"reason":"#)
            JSONWriter.writeString(bye.reason, into: &buffer)
            buffer.writeStaticString(#","type":"bye"}"#)
        }
    }
}

extension WireMessage.Hello {
    fileprivate func writeJSON(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"agent_id":"#)
        JSONWriter.writeString(agentID, into: &buffer)
        buffer.writeStaticString(#","labels":{"#)
        var first = true
        for (name, value) in JSONWriter.sortedMembers(labels) {
            if !first { buffer.writeInteger(ASCII.comma) }
            first = false
            JSONWriter.writeString(name, into: &buffer)
            buffer.writeInteger(ASCII.colon)
            JSONWriter.writeString(value, into: &buffer)
        }
        buffer.writeStaticString(#"},"protocol_version":"#)
        JSONWriter.writeInteger(protocolVersion, into: &buffer)
        buffer.writeStaticString(#","queued_results":"#)
        queuedResults.writeJSON(into: &buffer)
        buffer.writeStaticString(#","running":"#)
        running.writeJSON(into: &buffer)
        buffer.writeStaticString(#","slots":"#)
        JSONWriter.writeInteger(slots, into: &buffer)
        if let software {
            buffer.writeStaticString(#","software":"#)
            JSONWriter.writeString(software, into: &buffer)
        }
        buffer.writeStaticString(#","type":"hello"}"#)
    }
}

extension WireMessage.Welcome {
    fileprivate func writeJSON(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"agent_id":"#)
        JSONWriter.writeString(agentID, into: &buffer)
        buffer.writeStaticString(#","cancelled":"#)
        cancelled.writeJSON(into: &buffer)
        buffer.writeStaticString(#","collection_id":"#)
        JSONWriter.writeString(collectionID, into: &buffer)
        buffer.writeStaticString(#","heartbeat_interval_ms":"#)
        JSONWriter.writeInteger(heartbeatIntervalMS, into: &buffer)
        buffer.writeStaticString(#","heartbeat_timeout_ms":"#)
        JSONWriter.writeInteger(heartbeatTimeoutMS, into: &buffer)
        buffer.writeStaticString(#","protocol_version":"#)
        JSONWriter.writeInteger(protocolVersion, into: &buffer)
        buffer.writeStaticString(#","reattached":"#)
        reattached.writeJSON(into: &buffer)
        buffer.writeStaticString(#","type":"welcome"}"#)
    }
}

extension WireMessage.Assign {
    fileprivate func writeJSON(into buffer: inout ByteBuffer) throws(JSONWriteError) {
        buffer.writeStaticString(#"{"kind":"#)
        JSONWriter.writeString(kind.rawValue, into: &buffer)
        buffer.writeStaticString(#","lease_ms":"#)
        JSONWriter.writeInteger(leaseMS, into: &buffer)
        buffer.writeStaticString(#","payload":"#)
        try JSONWriter.write(payload, into: &buffer, depth: 1)
        buffer.writeStaticString(#","task":"#)
        task.writeJSON(into: &buffer)
        buffer.writeStaticString(#","timeout_ms":"#)
        JSONWriter.writeInteger(timeoutMS, into: &buffer)
        if let trainerPath {
            buffer.writeStaticString(#","trainer_path":"#)
            JSONWriter.writeString(trainerPath, into: &buffer)
        }
        buffer.writeStaticString(#","type":"assign"}"#)
    }
}

extension WireMessage.Progress {
    fileprivate func writeJSON(into buffer: inout ByteBuffer) throws(JSONWriteError) {
        buffer.writeStaticString("{")
        if let fraction {
            buffer.writeStaticString(#""fraction":"#)
            try JSONWriter.writeNumber(fraction, into: &buffer)
            buffer.writeStaticString(",")
        }
        buffer.writeStaticString(#""message":"#)
        JSONWriter.writeString(message, into: &buffer)
        buffer.writeStaticString(#","task":"#)
        task.writeJSON(into: &buffer)
        buffer.writeStaticString(#","type":"progress"}"#)
    }
}

extension TaskRef {
    fileprivate func writeJSON(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"attempt":"#)
        JSONWriter.writeInteger(attempt, into: &buffer)
        buffer.writeStaticString(#","task_id":"#)
        JSONWriter.writeString(taskID, into: &buffer)
        buffer.writeInteger(ASCII.closeBrace)
    }
}

extension [TaskRef] {
    fileprivate func writeJSON(into buffer: inout ByteBuffer) {
        buffer.writeInteger(ASCII.openBracket)
        for (index, ref) in enumerated() {
            if index > 0 { buffer.writeInteger(ASCII.comma) }
            ref.writeJSON(into: &buffer)
        }
        buffer.writeInteger(ASCII.closeBracket)
    }
}
