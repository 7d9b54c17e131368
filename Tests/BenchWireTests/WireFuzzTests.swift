import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOCore
import NIOEmbedded
import Testing

/// Seeded random inputs through the frame decoder and the message decoder: nothing may crash, every failure must
/// be a `WireError`, and whatever decodes must survive an encode/decode round trip. Each input's body is also
/// decoded by the Codable oracle (``CodableOracle``): whatever the codec accepts the oracle accepts as the same
/// message, and whatever the oracle accepts the codec accepts too, strict RFC 8259 aside.
///
/// `WIRE_FUZZ_SEED` and `WIRE_FUZZ_COUNT` (at most 1,000,000) override the defaults; the seed is printed so a
/// failure can be replayed. The libFuzzer entry point in `Fuzz/` explores the same decoder with coverage guidance.
@Suite("Wire decoder fuzzing (seeded)")
struct WireFuzzTests {
    static let defaultSeed: UInt64 = 0x6D6D_6D62_656E_6368
    static let defaultCount = 20_000
    static let maxFrameLength = 4_096

    @Test("random bytes and mutated frames produce only messages or WireErrors")
    func fuzz() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["WIRE_FUZZ_SEED"].flatMap { UInt64($0) } ?? Self.defaultSeed
        let count = min(environment["WIRE_FUZZ_COUNT"].flatMap { Int($0) } ?? Self.defaultCount, 1_000_000)
        print("wire fuzz: seed \(seed), \(count) inputs")
        var random = SplitMix64(seed: seed)
        let corpus = try SampleMessages.all.map { message -> [UInt8] in
            var frame = ByteBuffer()
            try WireCodec().encodeFrame(message, into: &frame)
            return Array(frame.readableBytesView)
        }
        var outcome = FuzzOutcome()
        for index in 0..<count {
            let input: [UInt8]
            if index % 4 == 0 {
                input = (0..<random.next(below: 48)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                input = Self.mutate(corpus[random.next(below: corpus.count)], random: &random)
            }
            try Self.feed(input, random: &random, outcome: &outcome, inputIndex: index, seed: seed)
            Self.compareCodecs(Array(input.dropFirst(WireProtocol.lengthPrefixSize)), outcome: &outcome,
                               inputIndex: index, seed: seed)
        }
        print("wire fuzz: \(outcome.messages) messages, \(outcome.errors) typed errors, \(outcome.incomplete) incomplete")
        print("wire fuzz, against the oracle: \(outcome.fastAccepted) accepted by both, \(outcome.referenceOnly) "
              + "accepted only by the oracle (JSONDecoder tolerances), \(outcome.bothRefused) refused by both")
        #expect(outcome.messages > 0)
        #expect(outcome.errors > 0)
        #expect(outcome.fastAccepted > 0)
        #expect(outcome.bothRefused > 0)
    }

    struct FuzzOutcome {
        var messages = 0
        var errors = 0
        var incomplete = 0
        var fastAccepted = 0
        var referenceOnly = 0
        var bothRefused = 0
    }

    /// Decodes `body` through the codec and the Codable oracle, and checks they agree.
    static func compareCodecs(_ body: [UInt8], outcome: inout FuzzOutcome, inputIndex: Int, seed: UInt64) {
        guard (1...maxFrameLength).contains(body.count) else { return }
        let codec = WireCodec(maxFrameLength: maxFrameLength)
        let verdict = Result { () throws(WireError) in try codec.decode(body: ByteBuffer(bytes: body)) }
        let disagreement = CodableOracle.disagreement(codec: verdict, body: body)
        #expect(disagreement == nil, "seed \(seed), input \(inputIndex)")
        switch (verdict, CodableOracle.decode(body)) {
        case (.success, _): outcome.fastAccepted += 1
        case (.failure, _?): outcome.referenceOnly += 1
        case (.failure, nil): outcome.bothRefused += 1
        }
    }

    /// Feeds `input` in random chunks and checks the invariants.
    static func feed(
        _ input: [UInt8],
        random: inout SplitMix64,
        outcome: inout FuzzOutcome,
        inputIndex: Int,
        seed: UInt64
    ) throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(
                WireFrameDecoder(maxFrameLength: maxFrameLength),
                maximumBufferSize: WireFrameDecoder.maximumBufferSize(maxFrameLength: maxFrameLength)
            )
        )
        try channel.pipeline.syncOperations.addHandler(WireMessageDecoder(codec: WireCodec(maxFrameLength: maxFrameLength)))
        var remaining = input[...]
        var failure: (any Error)?
        while !remaining.isEmpty, failure == nil {
            let chunk = remaining.prefix(1 + random.next(below: 64))
            remaining = remaining.dropFirst(chunk.count)
            do {
                try channel.writeInbound(ByteBuffer(bytes: chunk))
            } catch {
                failure = error
            }
        }
        if failure == nil {
            do {
                _ = try channel.finish()
            } catch {
                failure = error
                if case .truncatedFrame = error as? WireError { outcome.incomplete += 1 }
            }
        } else {
            _ = try? channel.finish()
        }
        while let message = try channel.readInbound(as: WireMessage.self) {
            outcome.messages += 1
            var frame = ByteBuffer()
            try WireCodec().encodeFrame(message, into: &frame)
            frame.moveReaderIndex(forwardBy: WireProtocol.lengthPrefixSize)
            #expect(try WireCodec().decode(body: frame) == message, "seed \(seed), input \(inputIndex)")
        }
        if let failure {
            outcome.errors += 1
            #expect(failure is WireError, "seed \(seed), input \(inputIndex): \(type(of: failure)) \(failure)")
        }
    }

    /// Applies 1–4 random edits to a valid frame.
    static func mutate(_ frame: [UInt8], random: inout SplitMix64) -> [UInt8] {
        var bytes = frame
        for _ in 0..<(1 + random.next(below: 4)) {
            guard !bytes.isEmpty else { break }
            let position = random.next(below: bytes.count)
            switch random.next(below: 8) {
            case 0:
                bytes[position] ^= UInt8(truncatingIfNeeded: 1 << random.next(below: 8))
            case 1:
                bytes[position] = UInt8(truncatingIfNeeded: random.next())
            case 2:
                bytes.insert(Array(#"{}[]",:0"\"#.utf8)[random.next(below: 10)], at: position)
            case 3:
                bytes.removeSubrange(position..<min(bytes.count, position + 1 + random.next(below: 8)))
            case 4:
                bytes = Array(bytes.prefix(position))
            case 5:
                bytes += frame
            case 6:
                let lengths: [UInt32] = [0, 1, UInt32(maxFrameLength), UInt32(maxFrameLength + 1), .max, 0x8000_0000]
                let length = lengths[random.next(below: lengths.count)]
                withUnsafeBytes(of: length.bigEndian) { bytes.replaceSubrange(0..<min(4, bytes.count), with: $0) }
            default:
                let word = [#""type""#, #""task""#, "null", "1e999", "-0", #""\ud800""#, "true"]
                bytes.insert(contentsOf: Array(word[random.next(below: word.count)].utf8), at: position)
            }
        }
        return bytes
    }
}

/// A small, fast, seedable generator (SplitMix64), so runs are reproducible on every platform.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform enough in `0..<bound` for fuzzing (`bound` > 0).
    mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
