import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOCore
import Testing

@Suite("Wire messages: round trip and pinned JSON")
struct MessageRoundTripTests {
    let codec = WireCodec()

    @Test("the samples cover every message type")
    func samplesCoverEveryType() {
        #expect(SampleMessages.coveredTypes == Set(WireMessageType.allCases))
    }

    @Test("every message decodes to itself after encoding", arguments: SampleMessages.all)
    func roundTrip(message: WireMessage) throws {
        var frame = ByteBuffer()
        try codec.encodeFrame(message, into: &frame)
        let prefix = frame.readInteger(as: UInt32.self)
        #expect(prefix.map(Int.init) == frame.readableBytes)
        #expect(try codec.decode(body: frame) == message)
    }

    @Test("encoded messages are flat objects with a type member")
    func flatObjectWithType() throws {
        for message in SampleMessages.all {
            let body = try codec.encodeBody(message)
            let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            #expect(object["type"] as? String == message.type.rawValue)
        }
    }

    // The exact bytes are part of the contract with agents written in other languages (docs/protocol.md).
    @Test("ack encodes to the pinned JSON")
    func pinnedAck() throws {
        let message = WireMessage.ack(.init(task: TaskRef(taskID: "baseline-1-1-US", attempt: 1), status: .committed))
        #expect(try text(message) == #"{"status":"committed","task":{"attempt":1,"task_id":"baseline-1-1-US"},"type":"ack"}"#)
    }

    @Test("a refused ack carries its reason, first in member order")
    func pinnedRefusedAck() throws {
        let message = WireMessage.ack(.init(task: TaskRef(taskID: "j", attempt: 2), status: .refused,
                                            reason: "job j is not part of collection c"))
        #expect(try text(message) == #"{"reason":"job j is not part of collection c","status":"refused","#
                + #""task":{"attempt":2,"task_id":"j"},"type":"ack"}"#)
    }

    @Test("hello encodes to the pinned JSON, without absent optionals")
    func pinnedHello() throws {
        let message = WireMessage.hello(.init(agentID: "agent-1", slots: 1, labels: ["region": "eu"]))
        #expect(
            try text(message)
                == #"{"agent_id":"agent-1","labels":{"region":"eu"},"protocol_version":1,"queued_results":[],"#
                + #""running":[],"slots":1,"type":"hello"}"#
        )
    }

    @Test("heartbeat and assign encode to the pinned JSON")
    func pinnedHeartbeatAndAssign() throws {
        #expect(
            try text(.heartbeat(.init(sentAtMS: 12_345)))
                == #"{"running":[],"sent_at_ms":12345,"type":"heartbeat"}"#
        )
        let assign = WireMessage.assign(.init(
            task: TaskRef(taskID: "t", attempt: 3), kind: .check, leaseMS: 30_000, timeoutMS: 60_000,
            payload: ["check": "health", "max_ms": 250.5]
        ))
        #expect(
            try text(assign)
                == #"{"kind":"check","lease_ms":30000,"payload":{"check":"health","max_ms":250.5},"#
                + #""task":{"attempt":3,"task_id":"t"},"timeout_ms":60000,"type":"assign"}"#
        )
    }

    @Test("hand-written JSON in any member order, with unknown members, decodes")
    func decodesForeignJSON() throws {
        let json = """
            {"type": "result", "task": {"task_id": "baseline-3-6-DE", "attempt": 4, "future_field": 1},
             "finished_at": "2025-03-01T12:00:00Z", "outcome": {"success": false, "error": "HTTP 503"},
             "extra": [1, 2, 3]}
            """
        let decoded = try codec.decode(body: ByteBuffer(string: json))
        let expected = WireMessage.result(.init(
            task: TaskRef(taskID: "baseline-3-6-DE", attempt: 4),
            outcome: ["success": false, "error": "HTTP 503"],
            finishedAt: try #require(WireTimestamp(rawValue: "2025-03-01T12:00:00Z"))
        ))
        #expect(decoded == expected)
    }

    @Test("explicit null for an optional field decodes as absent")
    func nullOptional() throws {
        let json = #"{"type":"progress","task":{"task_id":"t","attempt":1},"message":"m","fraction":null}"#
        let decoded = try codec.decode(body: ByteBuffer(string: json))
        #expect(decoded == .progress(.init(task: TaskRef(taskID: "t", attempt: 1), message: "m", fraction: nil)))
    }

    @Test("reject codes outside the known set still decode")
    func unknownRejectCode() throws {
        let json = #"{"type":"reject","code":"maintenance_window","reason":"back at 14:00"}"#
        let decoded = try codec.decode(body: ByteBuffer(string: json))
        #expect(decoded == .reject(.init(code: RejectCode(rawValue: "maintenance_window"), reason: "back at 14:00")))
    }

    @Test("timestamps keep their exact text and expose the instant")
    func timestamps() throws {
        let stamp = try #require(WireTimestamp(rawValue: "2025-03-01T13:00:00.5+01:00"))
        #expect(stamp.date == Date(timeIntervalSince1970: 1_740_830_400.5))
        #expect(WireTimestamp(rawValue: "yesterday") == nil)
        let made = WireTimestamp(Date(timeIntervalSince1970: 1_740_830_400.25))
        #expect(made.rawValue == "2025-03-01T12:00:00.250Z")
    }

    private func text(_ message: WireMessage) throws -> String {
        String(decoding: try codec.encodeBody(message), as: UTF8.self)
    }
}
