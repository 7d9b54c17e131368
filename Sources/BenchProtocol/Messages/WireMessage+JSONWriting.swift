import BenchJSON

extension WireMessage {
    /// The message as one flat JSON object: the only encoder of the wire messages. Throws
    /// ``WireError/unencodable(type:reason:)`` for a non-finite number or over-deep nesting in a payload.
    public func jsonBytes() throws(WireError) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(512)
        do {
            try writeJSON(into: &body)
        } catch {
            throw .unencodable(type: type.rawValue, reason: error.description)
        }
        return body
    }

    /// Appends the message as one flat JSON object, byte for byte what the tests' Codable oracle writes through
    /// `JSONEncoder` (`[.sortedKeys, .withoutEscapingSlashes]`): members in UTF-8 order of their names, absent
    /// optionals left out. Throws for a non-finite number or over-deep nesting in a payload; part of the message may
    /// have been written by then.
    func writeJSON(into output: inout [UInt8]) throws(JSONWriteError) {
        switch self {
        case .hello(let hello): hello.writeJSON(into: &output)
        case .welcome(let welcome): welcome.writeJSON(into: &output)
        case .reject(let reject):
            output.appendStatic(#"{"code":"#)
            JSONWriter.writeString(reject.code.rawValue, into: &output)
            output.appendStatic(#","reason":"#)
            JSONWriter.writeString(reject.reason, into: &output)
            output.appendStatic(#","type":"reject"}"#)
        case .assign(let assign): try assign.writeJSON(into: &output)
        case .started(let started):
            output.appendStatic(#"{"started_at":"#)
            JSONWriter.writeString(started.startedAt.rawValue, into: &output)
            output.appendStatic(#","task":"#)
            started.task.writeJSON(into: &output)
            output.appendStatic(#","type":"started"}"#)
        case .progress(let progress): try progress.writeJSON(into: &output)
        case .result(let result):
            output.appendStatic(#"{"finished_at":"#)
            JSONWriter.writeString(result.finishedAt.rawValue, into: &output)
            output.appendStatic(#","outcome":"#)
            try JSONWriter.write(result.outcome, into: &output, depth: 1)
            output.appendStatic(#","task":"#)
            result.task.writeJSON(into: &output)
            output.appendStatic(#","type":"result"}"#)
        case .ack(let ack):
            output.appendStatic("{")
            if let reason = ack.reason {
                output.appendStatic(#""reason":"#)
                JSONWriter.writeString(reason, into: &output)
                output.appendStatic(",")
            }
            output.appendStatic(#""status":"#)
            JSONWriter.writeString(ack.status.rawValue, into: &output)
            output.appendStatic(#","task":"#)
            ack.task.writeJSON(into: &output)
            output.appendStatic(#","type":"ack"}"#)
        case .heartbeat(let heartbeat):
            output.appendStatic(#"{"running":"#)
            heartbeat.running.writeJSON(into: &output)
            output.appendStatic(#","sent_at_ms":"#)
            JSONWriter.writeInteger(heartbeat.sentAtMS, into: &output)
            if let trainerUnreachable = heartbeat.trainerUnreachable {
                output.appendStatic(#","trainer_unreachable":"#)
                JSONWriter.writeString(trainerUnreachable, into: &output)
            }
            output.appendStatic(#","type":"heartbeat"}"#)
        case .cancel(let cancel):
            output.appendStatic(#"{"reason":"#)
            JSONWriter.writeString(cancel.reason, into: &output)
            output.appendStatic(#","task":"#)
            cancel.task.writeJSON(into: &output)
            output.appendStatic(#","type":"cancel"}"#)
        case .drain(let drain):
            output.appendStatic(#"{"reason":"#)
            JSONWriter.writeString(drain.reason, into: &output)
            output.appendStatic(#","type":"drain"}"#)
        case .bye(let bye):
            output.appendStatic(#"{"reason":"#)
            JSONWriter.writeString(bye.reason, into: &output)
            output.appendStatic(#","type":"bye"}"#)
        }
    }
}

extension WireMessage.Hello {
    fileprivate func writeJSON(into output: inout [UInt8]) {
        output.appendStatic(#"{"agent_id":"#)
        JSONWriter.writeString(agentID, into: &output)
        if !features.isEmpty {
            output.appendStatic(#","features":["#)
            for (index, feature) in features.enumerated() {
                if index > 0 { output.append(ASCII.comma) }
                JSONWriter.writeString(feature, into: &output)
            }
            output.append(ASCII.closeBracket)
        }
        output.appendStatic(#","labels":{"#)
        var first = true
        for (name, value) in JSONWriter.sortedMembers(labels) {
            if !first { output.append(ASCII.comma) }
            first = false
            JSONWriter.writeString(name, into: &output)
            output.append(ASCII.colon)
            JSONWriter.writeString(value, into: &output)
        }
        output.appendStatic(#"},"protocol_version":"#)
        JSONWriter.writeInteger(protocolVersion, into: &output)
        output.appendStatic(#","queued_results":"#)
        queuedResults.writeJSON(into: &output)
        output.appendStatic(#","running":"#)
        running.writeJSON(into: &output)
        output.appendStatic(#","slots":"#)
        JSONWriter.writeInteger(slots, into: &output)
        if let software {
            output.appendStatic(#","software":"#)
            JSONWriter.writeString(software, into: &output)
        }
        if let trainerUnreachable {
            output.appendStatic(#","trainer_unreachable":"#)
            JSONWriter.writeString(trainerUnreachable, into: &output)
        }
        output.appendStatic(#","type":"hello"}"#)
    }
}

extension WireMessage.Welcome {
    fileprivate func writeJSON(into output: inout [UInt8]) {
        output.appendStatic(#"{"agent_id":"#)
        JSONWriter.writeString(agentID, into: &output)
        output.appendStatic(#","cancelled":"#)
        cancelled.writeJSON(into: &output)
        output.appendStatic(#","collection_id":"#)
        JSONWriter.writeString(collectionID, into: &output)
        output.appendStatic(#","heartbeat_interval_ms":"#)
        JSONWriter.writeInteger(heartbeatIntervalMS, into: &output)
        output.appendStatic(#","heartbeat_timeout_ms":"#)
        JSONWriter.writeInteger(heartbeatTimeoutMS, into: &output)
        output.appendStatic(#","protocol_version":"#)
        JSONWriter.writeInteger(protocolVersion, into: &output)
        output.appendStatic(#","reattached":"#)
        reattached.writeJSON(into: &output)
        output.appendStatic(#","type":"welcome"}"#)
    }
}

extension WireMessage.Assign {
    fileprivate func writeJSON(into output: inout [UInt8]) throws(JSONWriteError) {
        output.appendStatic("{")
        if let after {
            output.appendStatic(#""after":"#)
            after.writeJSON(into: &output)
            output.append(ASCII.comma)
        }
        output.appendStatic(#""kind":"#)
        JSONWriter.writeString(kind.rawValue, into: &output)
        output.appendStatic(#","lease_ms":"#)
        JSONWriter.writeInteger(leaseMS, into: &output)
        output.appendStatic(#","payload":"#)
        try JSONWriter.write(payload, into: &output, depth: 1)
        if let target {
            output.appendStatic(#","target":"#)
            JSONWriter.writeString(target, into: &output)
        }
        if let targetURL {
            output.appendStatic(#","target_url":"#)
            JSONWriter.writeString(targetURL, into: &output)
        }
        output.appendStatic(#","task":"#)
        task.writeJSON(into: &output)
        output.appendStatic(#","timeout_ms":"#)
        JSONWriter.writeInteger(timeoutMS, into: &output)
        if let trainerPath {
            output.appendStatic(#","trainer_path":"#)
            JSONWriter.writeString(trainerPath, into: &output)
        }
        output.appendStatic(#","type":"assign"}"#)
    }
}

extension WireMessage.Progress {
    fileprivate func writeJSON(into output: inout [UInt8]) throws(JSONWriteError) {
        output.appendStatic("{")
        if let fraction {
            output.appendStatic(#""fraction":"#)
            try JSONWriter.writeNumber(fraction, into: &output)
            output.appendStatic(",")
        }
        output.appendStatic(#""message":"#)
        JSONWriter.writeString(message, into: &output)
        output.appendStatic(#","task":"#)
        task.writeJSON(into: &output)
        output.appendStatic(#","type":"progress"}"#)
    }
}

extension TaskRef {
    fileprivate func writeJSON(into output: inout [UInt8]) {
        output.appendStatic(#"{"attempt":"#)
        JSONWriter.writeInteger(attempt, into: &output)
        output.appendStatic(#","task_id":"#)
        JSONWriter.writeString(taskID, into: &output)
        output.append(ASCII.closeBrace)
    }
}

extension [TaskRef] {
    fileprivate func writeJSON(into output: inout [UInt8]) {
        output.append(ASCII.openBracket)
        for (index, ref) in enumerated() {
            if index > 0 { output.append(ASCII.comma) }
            ref.writeJSON(into: &output)
        }
        output.append(ASCII.closeBracket)
    }
}
