import BenchJSON
import BenchProtocol
import BenchWire
import NIOCore
import Testing

@Suite("Wire messages: typed decoding errors name the field")
struct MessageDecodingErrorTests {
    let codec = WireCodec()

    private func decodeError(_ json: String) -> WireError? {
        do {
            _ = try codec.decode(body: ByteBuffer(string: json))
            return nil
        } catch {
            return error
        }
    }

    @Test("text that is not JSON is invalidJSON")
    func garbage() {
        guard case .invalidJSON = decodeError("hello there") else {
            Issue.record("expected invalidJSON")
            return
        }
        guard case .invalidJSON = decodeError(#"{"type":"bye","reason":"x""#) else {
            Issue.record("expected invalidJSON for a truncated object")
            return
        }
    }

    @Test("JSON that is not an object is invalidJSON")
    func notAnObject() {
        for json in ["[1,2]", "\"bye\"", "42", "null"] {
            guard case .invalidJSON = decodeError(json) else {
                Issue.record("expected invalidJSON for \(json)")
                continue
            }
        }
    }

    @Test("bytes that are not UTF-8 are invalidJSON")
    func notUTF8() throws {
        var buffer = ByteBuffer(string: #"{"type":"bye","reason":""#)
        buffer.writeBytes([0xFF, 0xFE])
        buffer.writeString(#""}"#)
        #expect(throws: WireError.self) { try codec.decode(body: buffer) }
    }

    @Test("an object without a string type is missingType")
    func missingType() {
        #expect(decodeError(#"{"reason":"x"}"#) == .missingType)
        #expect(decodeError(#"{"type":7,"reason":"x"}"#) == .missingType)
    }

    @Test("an unknown type is unknownType")
    func unknownType() {
        #expect(decodeError(#"{"type":"shutdown","reason":"x"}"#) == .unknownType("shutdown"))
    }

    @Test("a missing required field is named with its path")
    func missingFields() {
        #expect(decodeError(#"{"type":"bye"}"#) == .missingField(type: "bye", field: "reason"))
        #expect(
            decodeError(#"{"type":"ack","task":{"task_id":"t"},"status":"committed"}"#)
                == .missingField(type: "ack", field: "task.attempt")
        )
        let hello = #"""
            {"type":"hello","protocol_version":1,"agent_id":"a","slots":1,"labels":{},
             "running":[{"task_id":"t","attempt":1},{"attempt":2}],"queued_results":[]}
            """#
        #expect(decodeError(hello) == .missingField(type: "hello", field: "running[1].task_id"))
    }

    @Test("a field of the wrong JSON type is invalidField")
    func wrongTypes() {
        guard case .invalidField("heartbeat", "sent_at_ms", _) = decodeError(
            #"{"type":"heartbeat","sent_at_ms":"soon","running":[]}"#
        ) else {
            Issue.record("expected invalidField for sent_at_ms")
            return
        }
        guard case .invalidField("bye", "reason", _) = decodeError(#"{"type":"bye","reason":null}"#) else {
            Issue.record("expected invalidField for a null required field")
            return
        }
    }

    @Test("values outside their range are invalidField", arguments: [
        (#"{"type":"hello","protocol_version":1,"agent_id":"a","slots":0,"labels":{},"running":[],"queued_results":[]}"#, "slots"),
        (#"{"type":"ack","task":{"task_id":"","attempt":1},"status":"committed"}"#, "task.task_id"),
        (#"{"type":"ack","task":{"task_id":"t","attempt":0},"status":"committed"}"#, "task.attempt"),
        (#"{"type":"ack","task":{"task_id":"t","attempt":1},"status":"maybe"}"#, "status"),
        (#"{"type":"ack","task":{"task_id":"t","attempt":1},"status":"refused"}"#, "reason"),
        (#"{"type":"ack","task":{"task_id":"t","attempt":1},"status":"committed","reason":"r"}"#, "reason"),
        (#"{"type":"assign","task":{"task_id":"t","attempt":1},"kind":"train","lease_ms":0,"timeout_ms":1,"payload":{}}"#, "lease_ms"),
        (#"{"type":"assign","task":{"task_id":"t","attempt":1},"kind":"deploy","lease_ms":1,"timeout_ms":1,"payload":{}}"#, "kind"),
        (#"{"type":"progress","task":{"task_id":"t","attempt":1},"message":"m","fraction":1.5}"#, "fraction"),
        (#"{"type":"started","task":{"task_id":"t","attempt":1},"started_at":"noon"}"#, "started_at"),
        (#"{"type":"reject","code":"","reason":"r"}"#, "code"),
        (#"{"type":"welcome","protocol_version":1,"agent_id":"a","collection_id":"c","heartbeat_interval_ms":1000,"heartbeat_timeout_ms":999,"reattached":[],"cancelled":[]}"#, "heartbeat_timeout_ms"),
    ])
    func outOfRange(json: String, field: String) {
        let error = decodeError(json)
        guard case .invalidField(_, let reported, _) = error else {
            Issue.record("expected invalidField(\(field)), got \(String(describing: error))")
            return
        }
        #expect(reported == field)
    }

    @Test("an integer member given a fraction, a huge number or a string names the member and says it must be an integer",
          arguments: [
        (#"{"type":"ack","task":{"task_id":"t","attempt":1.5},"status":"committed"}"#,
         WireError.invalidField(type: "ack", field: "task.attempt", reason: "expected an integer, got the fraction 1.5")),
        (#"{"type":"ack","task":{"task_id":"t","attempt":1e300},"status":"committed"}"#,
         WireError.invalidField(type: "ack", field: "task.attempt",
                                reason: "expected an integer below 2^53 in magnitude, got 1e+300")),
        (#"{"type":"ack","task":{"task_id":"t","attempt":"1"},"status":"committed"}"#,
         WireError.invalidField(type: "ack", field: "task.attempt", reason: "expected an integer, got a string")),
        (#"{"type":"heartbeat","sent_at_ms":12.25,"running":[]}"#,
         WireError.invalidField(type: "heartbeat", field: "sent_at_ms", reason: "expected an integer, got the fraction 12.25")),
        (#"{"type":"hello","protocol_version":1,"agent_id":"a","slots":2,"labels":{},"running":[{"task_id":"t","attempt":99999999999999999999}],"queued_results":[]}"#,
         WireError.invalidField(type: "hello", field: "running[0].attempt",
                                reason: "expected an integer below 2^53 in magnitude, got 1e+20")),
    ])
    func integerReasons(json: String, expected: WireError) {
        let error = decodeError(json)
        #expect(error == expected)
        #expect(error?.description.contains("expected an integer") == true)
    }

    @Test("hello and welcome of another protocol version are unsupportedProtocolVersion")
    func versionMismatch() {
        // A future version may change every other field: the version is checked first.
        #expect(
            decodeError(#"{"type":"hello","protocol_version":2,"agent":{"name":"a"}}"#)
                == .unsupportedProtocolVersion(received: 2, supported: WireProtocol.version)
        )
        #expect(RejectCode.forUndecodableHello(.unsupportedProtocolVersion(received: 2, supported: 1)) == .versionMismatch)
        #expect(RejectCode.forUndecodableHello(.missingField(type: "hello", field: "slots")) == .badHello)
        #expect(
            decodeError(#"{"type":"welcome","protocol_version":0}"#)
                == .unsupportedProtocolVersion(received: 0, supported: WireProtocol.version)
        )
    }

    @Test("deeply nested payloads fail cleanly instead of exhausting the stack")
    func deepNesting() {
        let depth = 100_000
        let json = #"{"type":"result","task":{"task_id":"t","attempt":1},"finished_at":"2025-03-01T12:00:00Z","outcome":"#
            + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        guard case .invalidJSON = decodeError(json) else {
            Issue.record("expected invalidJSON for a pathologically deep payload")
            return
        }
    }

    @Test("errors describe type and field without payload contents")
    func descriptions() {
        let error = WireError.invalidField(type: "assign", field: "lease_ms", reason: "must be at least 1")
        #expect(error.description == "'assign' message has an invalid 'lease_ms': must be at least 1")
        #expect(WireError.frameTooLarge(declared: 5_000_000, max: 1_048_576).description.contains("5000000"))
    }
}
