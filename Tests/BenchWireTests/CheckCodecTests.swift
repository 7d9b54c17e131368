import BenchCore
import BenchJSON
import BenchProtocol
import Foundation
import PropertyBased
import Testing

/// BenchProtocol's one reader and writer of the check documents (the `check` payload, `CheckTask+Wire.swift`, and
/// the `check` outcome, `CheckOutcome+Wire.swift`) against the Codable oracle (``CheckTaskOracle``, `CheckOutcome`'s
/// own `Codable`): same bytes written, same values read, on generated documents and on mutated ones.
@Suite("Check payload and outcome codec: properties and refusals")
struct CheckCodecTests {
    // MARK: - Properties

    @Test("payload: read(write(x)) == x, through bytes too")
    func payloadRoundTrip() async {
        await propertyCheck(count: 300, input: CheckGen.task) { task in
            #expect(try CheckTask(wireValue: task.wireValue) == task)
            let bytes = try JSONWriter.bytes(task.wireValue)
            #expect(try CheckTask(wireValue: JSONReader.value(from: bytes)) == task)
        }
    }

    @Test("payload: the codec writes the oracle's bytes, and each reads the other's as the same task")
    func payloadAgreesWithOracle() async {
        await propertyCheck(count: 300, input: CheckGen.task) { task in
            let oracle = try CheckOracle.bytes(task)
            let written = try JSONWriter.bytes(task.wireValue)
            #expect(written == oracle, "\(String(decoding: oracle, as: UTF8.self))")
            #expect(CheckOracle.task(written) == task)
            #expect(try CheckTask(wireValue: JSONReader.value(from: oracle)) == task)
        }
    }

    @Test("outcome: read(write(x)) == x, through bytes too")
    func outcomeRoundTrip() async {
        await propertyCheck(count: 300, input: CheckGen.outcome) { outcome in
            #expect(try CheckOutcome(wireValue: outcome.wireValue) == outcome)
            let bytes = try JSONWriter.bytes(outcome.wireValue)
            #expect(try CheckOutcome(wireValue: JSONReader.value(from: bytes)) == outcome)
        }
    }

    @Test("outcome: the codec writes the oracle's bytes, and each reads the other's as the same outcome")
    func outcomeAgreesWithOracle() async {
        await propertyCheck(count: 300, input: CheckGen.outcome) { outcome in
            let oracle = try CheckOracle.bytes(outcome)
            let written = try JSONWriter.bytes(outcome.wireValue)
            #expect(written == oracle, "\(String(decoding: oracle, as: UTF8.self))")
            #expect(CheckOracle.outcome(written) == outcome)
            #expect(try CheckOutcome(wireValue: JSONReader.value(from: oracle)) == outcome)
        }
    }

    @Test("payload: on mutated documents the codec accepts exactly what the oracle accepts, as the same task")
    func mutatedPayloadAgreement() async {
        var verdicts = (accepted: 0, refused: 0)
        await propertyCheck(count: 1_500, input: JSONMutation.of(CheckGen.task.map(\.wireValue))) { mutated in
            let codec = Result { () throws(CheckWireError) in try CheckTask(wireValue: mutated) }
            let oracle = CheckOracle.task(try JSONWriter.bytes(mutated))
            if let disagreement = Self.disagreement(codec, oracle) {
                Issue.record("\(disagreement) for \(String(decoding: try JSONWriter.bytes(mutated), as: UTF8.self))")
            }
            if case .success = codec { verdicts.accepted += 1 } else { verdicts.refused += 1 }
        }
        #expect(verdicts.accepted > 100 && verdicts.refused > 100, "the mutations exercise both verdicts: \(verdicts)")
    }

    @Test("outcome: on mutated documents the codec accepts exactly what the oracle accepts, as the same outcome")
    func mutatedOutcomeAgreement() async {
        var verdicts = (accepted: 0, refused: 0)
        await propertyCheck(count: 1_500, input: JSONMutation.of(CheckGen.outcome.map(\.wireValue))) { mutated in
            let codec = Result { () throws(CheckWireError) in try CheckOutcome(wireValue: mutated) }
            let oracle = CheckOracle.outcome(try JSONWriter.bytes(mutated))
            if let disagreement = Self.disagreement(codec, oracle) {
                Issue.record("\(disagreement) for \(String(decoding: try JSONWriter.bytes(mutated), as: UTF8.self))")
            }
            if case .success = codec { verdicts.accepted += 1 } else { verdicts.refused += 1 }
        }
        #expect(verdicts.accepted > 100 && verdicts.refused > 100, "the mutations exercise both verdicts: \(verdicts)")
    }

    /// How the codec's verdict differs from the oracle's; nil when they agree. The codec refuses integers of 2^53 or
    /// more by design (a JSON number read as a double cannot carry them exactly), where the oracle may read them.
    static func disagreement<Value: Equatable>(_ codec: Result<Value, CheckWireError>, _ oracle: Value?) -> String? {
        switch (codec, oracle) {
        case (.success(let value), let expected?):
            return value == expected ? nil : "codec read \(value), oracle \(expected)"
        case (.success(let value), nil):
            return "codec accepted \(value), the oracle refused"
        case (.failure(let error), let expected?):
            return error.reason.contains("below 2^53") ? nil : "codec refused (\(error)), the oracle read \(expected)"
        case (.failure, nil):
            return nil
        }
    }

    // MARK: - Refusals

    /// A document with one member removed (`nil`) or replaced, the member the refusal must name and a part of its
    /// reason.
    struct Refusal: CustomTestStringConvertible, Sendable {
        let document: CheckWireError.Document
        let path: [JSONMutation.Step]
        let replacement: JSONValue?
        let member: String
        let reason: String
        var testDescription: String { "\(document.rawValue): \(member) \(reason)" }
    }

    static let refusals: [Refusal] = [
        Refusal(document: .payload, path: [.key("suite_run_id")], replacement: nil, member: "suite_run_id",
                reason: "missing"),
        Refusal(document: .payload, path: [.key("suite_run_id")], replacement: 7, member: "suite_run_id",
                reason: "expected a string, got a number"),
        Refusal(document: .payload, path: [.key("phase")], replacement: "during", member: "phase",
                reason: "'during' is not one of before, after, standalone"),
        Refusal(document: .payload, path: [.key("check")], replacement: nil, member: "check", reason: "missing"),
        Refusal(document: .payload, path: [.key("share")], replacement: "whole", member: "share",
                reason: "expected an object, got a string"),
        Refusal(document: .payload, path: [.key("share"), .key("index")], replacement: 2, member: "share.index",
                reason: "invalid check share 2 of 2"),
        Refusal(document: .payload, path: [.key("settings")], replacement: nil, member: "settings",
                reason: "missing"),
        Refusal(document: .payload, path: [.key("settings"), .key("health")], replacement: nil,
                member: "settings.health", reason: "missing"),
        Refusal(document: .payload, path: [.key("settings"), .key("load_handling"), .key("requests")],
                replacement: "5", member: "settings.load_handling.requests",
                reason: "expected an integer, got a string"),
        Refusal(document: .payload, path: [.key("settings"), .key("load_handling"), .key("requests")],
                replacement: 4.5, member: "settings.load_handling.requests",
                reason: "expected an integer, got the fraction 4.5"),
        Refusal(document: .payload, path: [.key("settings"), .key("health"), .key("timeout_seconds")],
                replacement: true, member: "settings.health.timeout_seconds",
                reason: "expected a number, got true or false"),
        Refusal(document: .payload, path: [.key("settings"), .key("error_handling"), .key("accepted_statuses"),
                                           .index(1)],
                replacement: "422", member: "settings.error_handling.accepted_statuses[1]",
                reason: "expected an integer, got a string"),
        Refusal(document: .payload, path: [.key("settings"), .key("required_warm_components"), .index(0)],
                replacement: .null, member: "settings.required_warm_components[0]",
                reason: "expected a string, got null"),
        Refusal(document: .payload, path: [.key("settings"), .key("rollback"), .key("arguments")],
                replacement: .null, member: "settings.rollback.arguments", reason: "must not be null"),
        Refusal(document: .payload, path: [.key("settings"), .key("rollback_script")], replacement: nil,
                member: "settings.rollback_script", reason: "missing"),
        Refusal(document: .payload, path: [], replacement: [1, 2], member: "(root)",
                reason: "expected an object, got an array"),
        Refusal(document: .outcome, path: [.key("check")], replacement: nil, member: "check", reason: "missing"),
        Refusal(document: .outcome, path: [.key("status")], replacement: "pass", member: "status",
                reason: "'pass' is not one of PASS, FAIL, ERROR"),
        Refusal(document: .outcome, path: [.key("duration")], replacement: "0.3", member: "duration",
                reason: "expected a number, got a string"),
        Refusal(document: .outcome, path: [.key("started_at")], replacement: "yesterday", member: "started_at",
                reason: "not an ISO-8601 UTC timestamp"),
        Refusal(document: .outcome, path: [.key("started_at")], replacement: nil, member: "started_at",
                reason: "missing"),
        Refusal(document: .outcome, path: [.key("measurements"), .index(0), .key("met")], replacement: "yes",
                member: "measurements[0].met", reason: "expected true or false, got a string"),
        Refusal(document: .outcome, path: [.key("measurements"), .index(0), .key("unit")], replacement: nil,
                member: "measurements[0].unit", reason: "missing"),
        Refusal(document: .outcome, path: [.key("samples"), .index(1), .key("result")], replacement: "maybe",
                member: "samples[1].result",
                reason: "'maybe' is not one of succeeded, failed, no_answer, unreadable"),
        Refusal(document: .outcome, path: [.key("samples"), .index(0), .key("http_status")], replacement: 200.5,
                member: "samples[0].http_status", reason: "expected an integer, got the fraction 200.5"),
        Refusal(document: .outcome, path: [.key("samples"), .index(0), .key("request_id")], replacement: nil,
                member: "samples[0].request_id", reason: "missing"),
        Refusal(document: .outcome, path: [.key("samples")], replacement: ["a": 1], member: "samples",
                reason: "expected an array, got an object"),
        Refusal(document: .outcome, path: [.key("share"), .key("count")], replacement: 0, member: "share.index",
                reason: "invalid check share 1 of 0"),
        Refusal(document: .outcome, path: [.key("agents"), .index(0)], replacement: 3, member: "agents[0]",
                reason: "expected a string, got a number"),
        Refusal(document: .outcome, path: [.key("agent")], replacement: false, member: "agent",
                reason: "expected a string, got true or false"),
    ]

    /// A split load check's task, with every setting at its default.
    static let task = CheckTask(suiteRunID: "s-1a2b3c4d", phase: .after, check: .loadHandling,
                                share: try? CheckShare(index: 1, count: 2), settings: CheckSettings())

    /// A share's outcome with two measurements and two samples.
    static let outcome = CheckOutcome(
        check: .loadHandling, status: .pass, durationSeconds: 0.31,
        startedAt: Date(timeIntervalSince1970: 1_740_832_867.031),
        measurements: [
            CheckMeasurement(name: "success_rate", measured: "1.00", value: 1, threshold: "> 0.8", met: true),
            .info("requests_sent", 2, places: 0),
        ],
        samples: [
            CheckRequestSample(requestID: 1, result: .succeeded, httpStatus: 200, startOffsetMs: 0.4,
                               durationMs: 290.2, detail: nil, agent: "agent-2"),
            CheckRequestSample(requestID: 3, result: .succeeded, httpStatus: 200, startOffsetMs: 0.6,
                               durationMs: 301.7, detail: nil, agent: "agent-2"),
        ],
        share: try? CheckShare(index: 1, count: 2), agent: "agent-2", agents: ["agent-2"])

    @Test("a missing or malformed member is refused with an error naming it; the oracle refuses it too",
          arguments: refusals)
    func refusal(_ refusal: Refusal) throws {
        let valid = refusal.document == .payload ? Self.task.wireValue : Self.outcome.wireValue
        let document = try #require(JSONMutation.applying(refusal.replacement, at: refusal.path, to: valid))
        let verdict = Result { () throws(CheckWireError) in
            switch refusal.document {
            case .payload: _ = try CheckTask(wireValue: document)
            case .outcome: _ = try CheckOutcome(wireValue: document)
            }
        }
        guard case .failure(let error) = verdict else {
            Issue.record("accepted \(String(decoding: try JSONWriter.bytes(document), as: UTF8.self))")
            return
        }
        #expect(error.document == refusal.document)
        #expect(error.member == refusal.member, "\(error)")
        #expect(error.reason.contains(refusal.reason), "\(error)")
        #expect(error.description.hasPrefix("\(refusal.document.rawValue) member '\(refusal.member)': "))
        let bytes = try JSONWriter.bytes(document)
        switch refusal.document {
        case .payload: #expect(CheckOracle.task(bytes) == nil, "the Codable oracle read it")
        case .outcome: #expect(CheckOracle.outcome(bytes) == nil, "the Codable oracle read it")
        }
    }

    @Test("absent or null optional members read as unset; test_name and description are ignored")
    func optionalMembers() throws {
        var payload = try #require(JSONMutation.applying(.null, at: [.key("share")], to: Self.task.wireValue))
        #expect(try CheckTask(wireValue: payload).share == nil)
        payload = try #require(JSONMutation.applying(nil, at: [.key("share")], to: payload))
        #expect(try CheckTask(wireValue: payload).share == nil)

        var outcome = Self.outcome.wireValue
        for key in ["measurements", "samples", "agents", "reason", "share", "agent", "test_name", "description"] {
            outcome = try #require(JSONMutation.applying(nil, at: [.key(key)], to: outcome))
        }
        let read = try CheckOutcome(wireValue: outcome)
        #expect(read == CheckOutcome(check: .loadHandling, status: .pass, durationSeconds: 0.31,
                                     startedAt: Self.outcome.startedAt))
        let renamed = try #require(JSONMutation.applying("test_01_health_endpoint_response", at: [.key("test_name")],
                                                         to: Self.outcome.wireValue))
        #expect(try CheckOutcome(wireValue: renamed) == Self.outcome)
    }

    @Test("the whole check's payload has no share member; a share's outcome writes unset members as null")
    func writtenMembers() throws {
        var whole = Self.task
        whole.share = nil
        #expect(whole.wireValue["share"] == nil)
        #expect(Self.task.wireValue["share"] == ["index": 1, "count": 2])
        var bare = Self.outcome
        (bare.reason, bare.share, bare.agent) = (nil, nil, nil)
        #expect(bare.wireValue["reason"] == .null)
        #expect(bare.wireValue["share"] == .null)
        #expect(bare.wireValue["agent"] == .null)
        let sample = try #require(Self.outcome.wireValue["samples"].flatMap { value -> JSONValue? in
            if case .array(let elements) = value { elements.first } else { nil }
        })
        #expect(sample["detail"] == nil, "an unset sample member is left out")
        #expect(sample["http_status"] == 200)
    }
}

/// Edits of a JSON document at a path, and a generator of documents with one member removed or replaced.
enum JSONMutation {
    enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// `value` with the member at `path` replaced by `replacement`, or removed when it is nil (an array element is
    /// removed from its array). The root itself is replaced when `path` is empty. Nil when the path leads nowhere.
    static func applying(_ replacement: JSONValue?, at path: [Step], to value: JSONValue) -> JSONValue? {
        guard let step = path.first else { return replacement ?? .null }
        let rest = Array(path.dropFirst())
        switch (step, value) {
        case (.key(let key), .object(var members)):
            if rest.isEmpty {
                members[key] = replacement
            } else {
                guard let member = members[key], let edited = applying(replacement, at: rest, to: member) else {
                    return nil
                }
                members[key] = edited
            }
            return .object(members)
        case (.index(let index), .array(var elements)) where elements.indices.contains(index):
            if rest.isEmpty {
                if let replacement { elements[index] = replacement } else { elements.remove(at: index) }
            } else {
                guard let edited = applying(replacement, at: rest, to: elements[index]) else { return nil }
                elements[index] = edited
            }
            return .array(elements)
        default:
            return nil
        }
    }

    /// Every path to a member or element inside `value`, depth first.
    static func paths(in value: JSONValue, below prefix: [Step] = []) -> [[Step]] {
        switch value {
        case .object(let members):
            members.keys.sorted().flatMap { key -> [[Step]] in
                let path = prefix + [.key(key)]
                return [path] + paths(in: members[key] ?? .null, below: path)
            }
        case .array(let elements):
            elements.indices.flatMap { index -> [[Step]] in
                let path = prefix + [.index(index)]
                return [path] + paths(in: elements[index], below: path)
            }
        default:
            []
        }
    }

    /// Values that are wrong for most members: other JSON types, fractions, huge integers, unknown names.
    static let replacements: [JSONValue] = [
        .null, true, 0, -1, 1.5, 9_007_199_254_740_994, 1e300, "", "PASS", "load_handling", "2025-03-01T10:00:00Z",
        [], ["x"], [:], ["index": 0, "count": 1],
    ]

    /// Documents drawn from `documents` with one member (chosen at random) removed or replaced by a value of
    /// ``replacements`` or a random JSON value.
    static func of(_ documents: WireGen.Erased<JSONValue>) -> WireGen.Erased<JSONValue> {
        zip(documents, Gen.int(in: 0...100_000), Gen.int(in: 0...2), Gen.int(in: 0...100),
            WireGen.json(depth: 1)).map { document, position, operation, pick, random in
            let paths = paths(in: document)
            guard !paths.isEmpty else { return document }
            let path = paths[position % paths.count]
            let replacement: JSONValue? = switch operation {
            case 0: nil
            case 1: replacements[pick % replacements.count]
            default: random
            }
            return applying(replacement, at: path, to: document) ?? document
        }.eraseToAny()
    }
}
