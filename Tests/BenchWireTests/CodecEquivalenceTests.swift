import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOCore
import Testing

/// The codec against the oracle (the Codable conformances through `JSONEncoder`/`JSONDecoder`, ``CodableOracle``),
/// over generated messages of every type with nested random payloads, unicode, escapes and numbers of every
/// magnitude.
@Suite("Wire codec: agreement with the Codable oracle")
struct CodecEquivalenceTests {
    let codec = WireCodec()

    @Test("generated messages encode to the reference bytes, and the fast path decodes them to the same message")
    func generatedMessages() throws {
        var generator = RandomJSON(seed: 0x6661_7374_636F_6465)
        for round in 0..<250 {
            for type in WireMessageType.allCases {
                let message = generator.message(type)
                let reference = try #require(CodableOracle.encode(message))
                // The writer is meant to reproduce JSONEncoder byte for byte, numbers included, so bytes are
                // compared (not decoded values).
                #expect(try codec.encodeBody(message) == reference, "round \(round), \(type): \(text(reference))")
                let fast = try codec.decode(body: ByteBuffer(bytes: reference))
                #expect(fast == message, "round \(round), \(type): \(text(reference))")
                #expect(fast == CodableOracle.decode(reference), "round \(round), \(type)")
            }
        }
    }

    @Test("other spellings of the same messages (whitespace, member order, escapes, number forms) decode alike")
    func respelledMessages() throws {
        var generator = RandomJSON(seed: 0x7370_656C_6C65_64)
        var spelling = JSONSpelling(random: SplitMix64(seed: 42))
        var accepted = 0
        var refusedByDesign = 0
        for round in 0..<250 {
            for type in WireMessageType.allCases {
                let canonical = try #require(CodableOracle.encode(generator.message(type)))
                let tree = try JSONReader.value(from: ByteBuffer(bytes: canonical))
                let text = spelling.text(tree)
                let verdict = Result { () throws(WireError) in try codec.decode(body: ByteBuffer(string: text)) }
                if case .success = verdict { accepted += 1 } else { refusedByDesign += 1 }
                let disagreement = CodableOracle.disagreement(codec: verdict, body: Array(text.utf8))
                #expect(disagreement == nil, "round \(round): \(text)")
            }
        }
        print("respelled messages: \(accepted) decoded, \(refusedByDesign) refused where only Foundation is lenient")
        // Zero spelled with an exponent (`0.000e+00`) is the only spelling here that the strict reader refuses.
        #expect(accepted > refusedByDesign * 10)
    }

    @Test("random JSON values: JSONReader agrees with JSONDecoder, JSONWriter with JSONEncoder")
    func randomValues() throws {
        var generator = RandomJSON(seed: 0x7661_6C75_6573)
        var spelling = JSONSpelling(random: SplitMix64(seed: 7))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for round in 0..<2_000 {
            let value = generator.value(maxDepth: 5)
            var written = ByteBuffer()
            try JSONWriter.write(value, into: &written)
            #expect(Data(written.readableBytesView) == (try encoder.encode(value)), "round \(round)")
            #expect(try JSONReader.value(from: written) == value, "round \(round)")

            let text = spelling.text(value)
            let reference = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            if let parsed = try? JSONReader.value(from: ByteBuffer(string: text)) {
                #expect(parsed == reference, "round \(round): \(text)")
            }
        }
    }

    @Test("integers of 2^53 and more are refused: a JSON number read as a double cannot carry them exactly")
    func largeIntegersRefused() throws {
        let json = #"{"type":"heartbeat","sent_at_ms":9007199254740993,"running":[]}"#
        let reason = "expected an integer below 2^53 in magnitude, got 9007199254740992"
        #expect(throws: WireError.invalidField(type: "heartbeat", field: "sent_at_ms", reason: reason)) {
            try codec.decode(body: ByteBuffer(string: json))
        }
        let below = #"{"type":"heartbeat","sent_at_ms":9007199254740991,"running":[]}"#
        #expect(try codec.decode(body: ByteBuffer(string: below)) == .heartbeat(.init(sentAtMS: (1 << 53) - 1)))
    }

    @Test("spellings JSONDecoder tolerates but strict RFC 8259 does not are refused, with the byte", arguments: [
        (#"{"type":"bye","reason":"r",}"#, "unexpected character '}' at byte"),
        ("\u{FEFF}" + #"{"type":"bye","reason":"r"}"#, "at byte 0"),
        (#"{"type":"progress","task":{"task_id":"t","attempt":1},"message":"m","fraction":0.0e-1}"#,
         "number is not representable as a Double at byte"),
    ])
    func strictSpellings(json: String, reason: String) throws {
        #expect(CodableOracle.decode(Array(json.utf8)) != nil)
        let error = #expect(throws: WireError.self) { try codec.decode(body: ByteBuffer(string: json)) }
        guard case .invalidJSON(let said)? = error else {
            Issue.record("expected invalidJSON, got \(String(describing: error))")
            return
        }
        #expect(said.contains(reason), "\(said)")
    }

    @Test("a null payload is a payload, as for the oracle")
    func nullPayload() throws {
        let json = #"{"type":"assign","task":{"task_id":"t","attempt":1},"kind":"train","lease_ms":1,"timeout_ms":1,"#
            + #""payload":null}"#
        let message = try codec.decode(body: ByteBuffer(string: json))
        #expect(message == CodableOracle.decode(Array(json.utf8)))
    }

    @Test("integral Int fields spelled as 1.0 or 1e3 decode like JSONDecoder does")
    func integralSpellings() throws {
        let json = #"{"type":"ack","task":{"task_id":"t","attempt":2.0e0},"status":"stale"}"#
        let decoded = try codec.decode(body: ByteBuffer(string: json))
        #expect(decoded == .ack(.init(task: TaskRef(taskID: "t", attempt: 2), status: .stale)))
        #expect(decoded == CodableOracle.decode(Array(json.utf8)))
    }

    @Test("messages that cannot be encoded fail as unencodable, like the oracle, and leave the buffer untouched")
    func unencodable() throws {
        var deep: JSONValue = 1
        for _ in 0..<520 { deep = [deep] }
        let messages: [WireMessage] = [
            .assign(.init(task: SampleMessages.task, kind: .train, leaseMS: 1, timeoutMS: 1,
                          payload: ["a": [1, .number(.nan)]])),
            .result(.init(task: SampleMessages.task, outcome: ["x": .number(-.infinity)],
                          finishedAt: SampleMessages.finished)),
            .progress(.init(task: SampleMessages.task, message: "m", fraction: .nan)),
            .result(.init(task: SampleMessages.task, outcome: deep, finishedAt: SampleMessages.finished)),
        ]
        for message in messages {
            #expect(CodableOracle.encode(message) == nil, "the oracle encoded \(message.type)")
            var buffer = ByteBuffer(string: "kept")
            let error = #expect(throws: WireError.self) { try codec.encodeFrame(message, into: &buffer) }
            guard case .unencodable(let type, _)? = error else {
                Issue.record("expected unencodable, got \(String(describing: error))")
                continue
            }
            #expect(type == message.type.rawValue)
            #expect(String(buffer: buffer) == "kept")
            #expect(throws: WireError.self) { try codec.encodeBody(message) }
        }
    }

    @Test("payload nesting at the encoder's depth limit: both codecs agree on every depth around it")
    func depthLimit() throws {
        for depth in 505...515 {
            var nested: JSONValue = "x"
            for _ in 0..<depth { nested = [nested] }
            let message = WireMessage.result(.init(task: SampleMessages.task, outcome: nested,
                                                   finishedAt: SampleMessages.finished))
            let written = try? codec.encodeBody(message)
            let reference = CodableOracle.encode(message)
            #expect(written == reference, "depth \(depth)")
            if let reference {
                let decoded = Result { () throws(WireError) in try codec.decode(body: ByteBuffer(bytes: reference)) }
                #expect(CodableOracle.disagreement(codec: decoded, body: Array(reference)) == nil, "depth \(depth)")
            }
        }
    }

    private func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
}
