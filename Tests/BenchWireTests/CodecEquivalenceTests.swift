import BenchJSON
import BenchProtocol
@_spi(CodecComparison) import BenchWire
import Foundation
import NIOCore
import Testing

/// The hand-written codec against the reference (Codable through `JSONEncoder`/`JSONDecoder`), over generated
/// messages of every type with nested random payloads, unicode, escapes and numbers of every magnitude.
@Suite("Fast wire codec: equivalence with the Codable/Foundation codec")
struct CodecEquivalenceTests {
    let codec = WireCodec()

    @Test("generated messages encode to the reference bytes, and the fast path decodes them to the same message")
    func generatedMessages() throws {
        var generator = RandomJSON(seed: 0x6661_7374_636F_6465)
        for round in 0..<250 {
            for type in WireMessageType.allCases {
                let message = generator.message(type)
                let reference = try codec.encodeBodyWithFoundation(message)
                // The writer is meant to reproduce JSONEncoder byte for byte, numbers included, so bytes are
                // compared (not decoded values).
                #expect(try codec.encodeBody(message) == reference, "round \(round), \(type): \(text(reference))")
                let body = ByteBuffer(bytes: reference)
                let fast = codec.decodeFastPathOnly(body: body)
                #expect(fast == message, "round \(round), \(type): \(text(reference))")
                #expect(fast == (try codec.decodeWithFoundation(body: body)), "round \(round), \(type)")
            }
        }
    }

    @Test("other spellings of the same messages (whitespace, member order, escapes, number forms) decode alike")
    func respelledMessages() throws {
        var generator = RandomJSON(seed: 0x7370_656C_6C65_64)
        var spelling = JSONSpelling(random: SplitMix64(seed: 42))
        var fastAccepted = 0
        var leftToCodable = 0
        for round in 0..<250 {
            for type in WireMessageType.allCases {
                let canonical = try codec.encodeBodyWithFoundation(generator.message(type))
                let tree = try JSONReader.value(from: ByteBuffer(bytes: canonical))
                let body = ByteBuffer(string: spelling.text(tree))
                let reference = Result { () throws(WireError) in try codec.decodeWithFoundation(body: body) }
                if let fast = codec.decodeFastPathOnly(body: body) {
                    fastAccepted += 1
                    #expect(reference == .success(fast), "round \(round): \(String(buffer: body))")
                } else {
                    leftToCodable += 1
                }
                let combined = Result { () throws(WireError) in try codec.decode(body: body) }
                #expect(combined == reference, "round \(round): \(String(buffer: body))")
            }
        }
        print("respelled messages: \(fastAccepted) decoded by the fast path, \(leftToCodable) left to Codable")
        // Zero spelled with an exponent (`0.000e+00`) is the only spelling here the fast path leaves to Codable.
        #expect(fastAccepted > leftToCodable * 10)
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

    @Test("integers of 2^53 and more are left to Codable, which reads them exactly")
    func largeIntegersFallBack() throws {
        let json = #"{"type":"heartbeat","sent_at_ms":9007199254740993,"running":[]}"#
        #expect(codec.decodeFastPathOnly(body: ByteBuffer(string: json)) == nil)
        #expect(try codec.decode(body: ByteBuffer(string: json)) == .heartbeat(.init(sentAtMS: 9_007_199_254_740_993)))
        let below = #"{"type":"heartbeat","sent_at_ms":9007199254740991,"running":[]}"#
        #expect(codec.decodeFastPathOnly(body: ByteBuffer(string: below)) == .heartbeat(.init(sentAtMS: (1 << 53) - 1)))
    }

    @Test("spellings JSONDecoder tolerates but the strict reader refuses still decode, through Codable", arguments: [
        #"{"type":"bye","reason":"r",}"#,
        "\u{FEFF}" + #"{"type":"bye","reason":"r"}"#,
        #"{"type":"progress","task":{"task_id":"t","attempt":1},"message":"m","fraction":0.0e-1}"#,
        #"{"type":"assign","task":{"task_id":"t","attempt":1},"kind":"train","lease_ms":1,"timeout_ms":1,"#
            + #""payload":null}"#,
    ])
    func tolerantSpellings(json: String) throws {
        let body = ByteBuffer(string: json)
        #expect(codec.decodeFastPathOnly(body: body) == nil)
        #expect(try codec.decode(body: body) == (try codec.decodeWithFoundation(body: body)))
    }

    @Test("integral Int fields spelled as 1.0 or 1e3 decode like JSONDecoder does")
    func integralSpellings() throws {
        let json = #"{"type":"ack","task":{"task_id":"t","attempt":2.0e0},"status":"stale"}"#
        let fast = codec.decodeFastPathOnly(body: ByteBuffer(string: json))
        #expect(fast == .ack(.init(task: TaskRef(taskID: "t", attempt: 2), status: .stale)))
        #expect(fast == (try codec.decodeWithFoundation(body: ByteBuffer(string: json))))
    }

    @Test("messages that cannot be encoded fail with the reference error and leave the buffer untouched")
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
            let reference = Result { () throws(WireError) in try codec.encodeBodyWithFoundation(message) }
            guard case .failure(let expected) = reference else {
                Issue.record("the reference encoded \(message.type)")
                continue
            }
            var buffer = ByteBuffer(string: "kept")
            #expect(throws: expected) { try codec.encodeFrame(message, into: &buffer) }
            #expect(String(buffer: buffer) == "kept")
            #expect(throws: expected) { try codec.encodeBody(message) }
        }
    }

    @Test("payload nesting at the encoder's depth limit: both codecs agree on every depth around it")
    func depthLimit() throws {
        for depth in 505...515 {
            var nested: JSONValue = "x"
            for _ in 0..<depth { nested = [nested] }
            let message = WireMessage.result(.init(task: SampleMessages.task, outcome: nested,
                                                   finishedAt: SampleMessages.finished))
            let fast = Result { () throws(WireError) in try codec.encodeBody(message) }
            let reference = Result { () throws(WireError) in try codec.encodeBodyWithFoundation(message) }
            #expect(fast == reference, "depth \(depth)")
            if case .success(let body) = reference {
                let buffer = ByteBuffer(bytes: body)
                #expect(codec.decodeFastPathOnly(body: buffer) == (try codec.decodeWithFoundation(body: buffer)))
            }
        }
    }

    private func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
}
