import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOCore
import Testing

/// The A/B fields (`hello.features`, `assign.target`/`target_url`/`after`): one reader and one writer each, equal to
/// the Codable reference, pinned bytes, and absent fields leave the bytes as they were.
@Suite("Wire: A/B fields")
struct TargetFieldsTests {
    let codec = WireCodec()

    static let assign = WireMessage.assign(.init(
        task: TaskRef(taskID: "baseline-1-1-de@baseline", attempt: 2), kind: .train, leaseMS: 30_000,
        timeoutMS: 60_000, payload: ["body": ["job_id": "baseline-1-1-de"]], target: "baseline",
        targetURL: "http://10.0.0.7:8080", after: TaskRef(taskID: "baseline-1-1-de@candidate", attempt: 1)))
    static let hello = WireMessage.hello(.init(agentID: "agent-1", slots: 2, features: [WireFeature.abTargets]))

    @Test("the writer and reader agree with the Codable oracle", arguments: [assign, hello])
    func equivalence(message: WireMessage) throws {
        let reference = try #require(CodableOracle.encode(message))
        #expect(try codec.encodeBody(message) == reference)
        #expect(try codec.decode(body: ByteBuffer(bytes: reference)) == message)
        #expect(CodableOracle.decode(reference) == message)
    }

    @Test("assign and hello encode to the pinned JSON")
    func pinned() throws {
        #expect(try text(Self.assign) == #"{"after":{"attempt":1,"task_id":"baseline-1-1-de@candidate"},"kind":"train","#
                + #""lease_ms":30000,"payload":{"body":{"job_id":"baseline-1-1-de"}},"target":"baseline","#
                + #""target_url":"http://10.0.0.7:8080","task":{"attempt":2,"task_id":"baseline-1-1-de@baseline"},"#
                + #""timeout_ms":60000,"type":"assign"}"#)
        #expect(try text(Self.hello) == #"{"agent_id":"agent-1","features":["ab_targets"],"labels":{},"#
                + #""protocol_version":1,"queued_results":[],"running":[],"slots":2,"type":"hello"}"#)
    }

    @Test("without the fields the bytes are those of a one-target session")
    func absentFieldsUnchanged() throws {
        let plain = try text(.hello(.init(agentID: "agent-1", slots: 2)))
        #expect(!plain.contains("features"))
        let assign = try text(.assign(.init(task: TaskRef(taskID: "t", attempt: 1), kind: .train, leaseMS: 1,
                                            timeoutMS: 1, payload: [:])))
        #expect(assign == #"{"kind":"train","lease_ms":1,"payload":{},"task":{"attempt":1,"task_id":"t"},"#
                + #""timeout_ms":1,"type":"assign"}"#)
    }

    @Test("malformed A/B fields are refused by both decoders", arguments: [
        #"{"type":"assign","task":{"task_id":"t","attempt":1},"kind":"train","lease_ms":1,"timeout_ms":1,"payload":{},"after":{"task_id":"","attempt":1}}"#,
        #"{"type":"assign","task":{"task_id":"t","attempt":1},"kind":"train","lease_ms":1,"timeout_ms":1,"payload":{},"target_url":7}"#,
        #"{"type":"hello","protocol_version":1,"agent_id":"a","slots":1,"labels":{},"running":[],"queued_results":[],"features":"ab_targets"}"#,
    ])
    func malformed(json: String) throws {
        #expect(CodableOracle.decode(Array(json.utf8)) == nil)
        #expect(throws: WireError.self) { try codec.decode(body: ByteBuffer(string: json)) }
    }

    private func text(_ message: WireMessage) throws -> String {
        String(decoding: try codec.encodeBody(message), as: UTF8.self)
    }
}
