import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOCore
import Testing

/// The examples of docs/protocol.md about an agent that cannot reach its trainer are test inputs: each decodes as
/// the text says, and the fast codec and the Codable one agree on them.
@Suite("docs/protocol.md: trainer_unreachable and harness_failure examples")
struct TrainerUnreachableDocTests {
    /// Every ```json block of docs/protocol.md that mentions `marker`.
    static func examples(mentioning marker: String) throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/protocol.md"), encoding: .utf8)
        var blocks: [String] = []
        var current: [String]?
        for line in text.components(separatedBy: "\n") {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```json" {
                current = []
            } else if let lines = current, line.trimmingCharacters(in: .whitespaces) == "```" {
                let block = lines.joined(separator: "\n")
                if block.contains(marker) { blocks.append(block) }
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    func decode(_ json: String) throws -> WireMessage {
        let codec = WireCodec()
        let message = try codec.decode(body: ByteBuffer(string: json))
        let oracle = try JSONDecoder().decode(WireMessage.self, from: Data(json.utf8))
        #expect(message == oracle, "the fast codec and the Codable oracle disagree on \(json)")
        return message
    }

    @Test("hello and heartbeat examples carry trainer_unreachable, and the field survives a round trip")
    func trainerUnreachableExamples() throws {
        let blocks = try Self.examples(mentioning: "\"trainer_unreachable\"")
        #expect(blocks.count == 2, "one hello and one heartbeat example")
        var types: Set<String> = []
        for block in blocks {
            let message = try decode(block)
            switch message {
            case .hello(let hello):
                types.insert("hello")
                #expect(hello.trainerUnreachable?.contains("connection refused") == true)
            case .heartbeat(let heartbeat):
                types.insert("heartbeat")
                #expect(heartbeat.trainerUnreachable?.contains("connection refused") == true)
            default:
                Issue.record("unexpected example \(message)")
            }
            let codec = WireCodec()
            #expect(try codec.decode(body: ByteBuffer(bytes: try codec.encodeBody(message))) == message)
        }
        #expect(types == ["hello", "heartbeat"])
    }

    @Test("a heartbeat without the field means the trainer is reachable")
    func absentMeansReachable() throws {
        let message = try decode(#"{"type": "heartbeat", "sent_at_ms": 5, "running": []}"#)
        guard case .heartbeat(let heartbeat) = message else {
            Issue.record("not a heartbeat")
            return
        }
        #expect(heartbeat.trainerUnreachable == nil)
    }

    @Test("the harness-failure result example is a harness failure, not a measurement")
    func harnessFailureExample() throws {
        let blocks = try Self.examples(mentioning: "\"harness_failure\"")
        #expect(blocks.count == 1)
        for block in blocks {
            guard case .result(let result) = try decode(block) else {
                Issue.record("the harness_failure example is not a result")
                continue
            }
            #expect(HarnessFailureOutcome.reason(of: result.outcome)?.contains("connection refused") == true)
            #expect(result.outcome["success"] == nil)
        }
        #expect(HarnessFailureOutcome.reason(of: .object(["success": .bool(false)])) == nil)
        #expect(HarnessFailureOutcome.reason(of: HarnessFailureOutcome.make(reason: "x")) == "x")
    }
}
