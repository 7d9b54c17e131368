import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOCore
import PropertyBased
import Testing

/// Properties of the wire codec over generated messages of every type (swift-property-based: a failure prints the
/// shrunk input and the seed to reproduce it with `.fixedSeed(...)`).
@Suite("Wire codec: properties over generated messages")
struct WireCodecPropertyTests {
    let codec = WireCodec()

    @Test("decode(encode(x)) == x for every message type", arguments: WireMessageType.allCases)
    func roundTrip(_ type: WireMessageType) async {
        await propertyCheck(count: 200, input: WireGen.message(type)) { message in
            let body = try codec.encodeBody(message)
            #expect(try codec.decode(body: ByteBuffer(bytes: body)) == message)
            var frame = ByteBuffer()
            try codec.encodeFrame(message, into: &frame)
            #expect(frame.readInteger(as: UInt32.self) == UInt32(body.count))
            #expect(try codec.decode(body: frame) == message)
        }
    }

    @Test("the fast codec agrees with the Codable oracle: same bytes written, same message read",
          arguments: WireMessageType.allCases)
    func fastAgreesWithCodable(_ type: WireMessageType) async {
        await propertyCheck(count: 200, input: WireGen.message(type)) { message in
            let oracle = try #require(CodableOracle.encode(message))
            #expect(try codec.encodeBody(message) == oracle, "\(String(decoding: oracle, as: UTF8.self))")
            #expect(CodableOracle.decode(oracle) == message)
            #expect(try codec.decode(body: ByteBuffer(bytes: oracle)) == message)
        }
    }

    /// A valid body with a few bytes replaced, inserted or removed.
    static let mutatedBodies = zip(
        WireGen.message(.hello).eraseToAny(), Gen.int(in: 0...10_000).array(of: 1...4), Gen.uint8().array(of: 1...4),
        Gen.int(in: 0...2)
    ).map { message, positions, bytes, operation -> [UInt8] in
        var body = Array(CodableOracle.encode(message) ?? Data("{}".utf8))
        for (position, byte) in zip(positions, bytes) {
            let index = position % max(1, body.count)
            switch operation {
            case 0 where !body.isEmpty: body[index] = byte
            case 1: body.insert(byte, at: index)
            default: if !body.isEmpty { body.remove(at: index) }
            }
        }
        return body
    }

    @Test("on mutated input the codec accepts what the Codable oracle accepts (strict JSON aside), as the same message")
    func mutatedInputAgreement() async {
        await propertyCheck(count: 2_000, input: Self.mutatedBodies) { bytes in
            guard !bytes.isEmpty else { return }
            let body = ByteBuffer(bytes: bytes)
            let verdict = Result { () throws(WireError) in try codec.decode(body: body) }
            if let disagreement = CodableOracle.disagreement(codec: verdict, body: bytes) {
                Issue.record("\(disagreement) for \(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }
}
