@testable import BenchAgent
@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOCore
import Testing

/// Every JSON example of docs/protocol.md, fed to the code that reads it, accepted or refused as the text says.
///
/// A fence's info string says what the example is: `json` alone is one or more frame bodies (each object starts at
/// column 0); `json taskref`, `json train-payload`, `json train-outcome`, `json check-payload`, `json check-outcome`
/// are those members on their own; `refused` after the kind means the reader must refuse it.
@Suite("docs/protocol.md examples are what the code reads")
struct ProtocolDocExamplesTests {
    static let documentPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/protocol.md").path

    /// One fenced JSON example: its kind words, its objects (as text) and the line of its fence.
    struct Example: CustomTestStringConvertible, Sendable {
        let words: [String]
        let objects: [String]
        let line: Int
        var testDescription: String { "line \(line) (\(words.joined(separator: " ")))" }
        var kind: String { words.first { $0 != "refused" } ?? "message" }
        var refused: Bool { words.contains("refused") }
    }

    static func examples() throws -> [Example] {
        let text = try String(contentsOfFile: documentPath, encoding: .utf8)
        var examples: [Example] = []
        var current: (words: [String], lines: [String], line: Int)?
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if var open = current {
                if line.hasPrefix("```") {
                    var objects: [String] = []
                    for part in open.lines {
                        if part.hasPrefix("{") || objects.isEmpty { objects.append(part) } else { objects[objects.count - 1] += "\n" + part }
                    }
                    examples.append(Example(words: open.words, objects: objects, line: open.line))
                    current = nil
                } else {
                    open.lines.append(line)
                    current = open
                }
            } else if line.hasPrefix("```json") {
                current = (Array(line.dropFirst(3).split(separator: " ").dropFirst().map(String.init)), [], index + 1)
            }
        }
        return examples
    }

    static func value(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test("the document has its examples, each of a known kind")
    func inventory() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 20)
        let kinds: Set = ["message", "taskref", "train-payload", "train-outcome", "check-payload", "check-outcome"]
        for example in examples { #expect(kinds.contains(example.kind), "\(example.testDescription)") }
        for kind in kinds { #expect(examples.contains { $0.kind == kind }, "no \(kind) example") }
    }

    @Test("each example is read (or refused) as the text says", arguments: try examples())
    func example(_ example: Example) throws {
        for object in example.objects {
            let verdict = Result { try Self.read(object, as: example.kind) }
            switch (verdict, example.refused) {
            case (.success, false), (.failure, true): break
            case (.success, true): Issue.record("\(example.testDescription): accepted, the text says refused:\n\(object)")
            case (.failure(let error), false): Issue.record("\(example.testDescription): \(error)\n\(object)")
            }
        }
    }

    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads `text` as `kind` with the code the coordinator or the agent uses; throws why it is refused.
    static func read(_ text: String, as kind: String) throws {
        switch kind {
        case "message":
            let message = try WireCodec().decode(body: ByteBuffer(string: text))
            try readContents(of: message)
        case "taskref":
            let wrapped = #"{"type": "cancel", "reason": "r", "task": "# + text + "}"
            _ = try WireCodec().decode(body: ByteBuffer(string: wrapped))
        case "train-payload":
            _ = try TrainTaskPayload(value(text))
        case "train-outcome":
            _ = try readTrainOutcome(value(text))
        case "check-payload":
            _ = try CheckTask(wireValue: value(text))
        case "check-outcome":
            _ = try CheckOutcome(wireValue: value(text))
        default:
            throw Refusal(description: "unknown example kind \(kind)")
        }
    }

    static func readTrainOutcome(_ outcome: JSONValue) throws -> BaselineMetric {
        do {
            return try BaselineMetric(wireValue: outcome)
        } catch {
            throw Refusal(description: "outcome is not a train measurement: \(error.reason)")
        }
    }

    /// The members a message carries for a task: an `assign`'s payload as the agent reads it, a `result`'s outcome as
    /// the coordinator reads it.
    static func readContents(of message: WireMessage) throws {
        switch message {
        case .assign(let assign) where assign.kind == .train:
            _ = try TrainTaskPayload(assign.payload)
        case .assign(let assign):
            _ = try CheckTask(wireValue: assign.payload)
        case .result(let result) where HarnessFailureOutcome.reason(of: result.outcome) != nil:
            break
        case .result(let result) where result.task.taskID.hasPrefix("check-"):
            _ = try CheckOutcome(wireValue: result.outcome)
        case .result(let result):
            if case .failure(let refusal) = TrainOutcome.metric(of: result, agent: "agent-1") {
                throw Refusal(description: refusal.reason)
            }
        default:
            break
        }
    }

    @Test("the train payload example is the payload the coordinator builds for the default plan's first job")
    func trainPayloadMatchesTheCoordinator() throws {
        let example = try #require(try Self.examples().first { $0.kind == "train-payload" })
        let plan = Plan(days: 1)
        let job = try #require(plan.expandJobs().first)
        let built = TrainPayload(plan: plan).payload(for: job)
        #expect(try Self.value(example.objects[0]) == built)
    }

    @Test("the check payload example is the payload of the default settings")
    func checkPayloadMatchesTheDefaults() throws {
        let example = try #require(try Self.examples().first { $0.kind == "check-payload" })
        let task = try CheckTask(wireValue: Self.value(example.objects[0]))
        #expect(task.settings == CheckSettings())
    }

    @Test("the train outcome example is what the agent writes (BaselineMetric.wireValue), and reads back to the same metric")
    func trainOutcomeRoundTrips() throws {
        let example = try #require(try Self.examples().first { $0.kind == "train-outcome" && !$0.refused })
        let metric = try Self.readTrainOutcome(Self.value(example.objects[0]))
        let written = try #require(metric.wireValue)
        #expect(try Self.readTrainOutcome(written) == metric)
        #expect(written == (try Self.value(example.objects[0])), "the example's members are exactly the written ones")
    }
}

