import BenchJSON
import BenchProtocol
import BenchWire
import NIOCore
import Testing

/// Bodies that are not JSON are refused with what is wrong and where (the reason `JSONReader` gives), not with
/// `JSONDecoder`'s "The given data was not valid JSON." (found by the hostile-input tests: the Codable fallback
/// decides, but said nothing specific).
@Suite("Wire codec: specific reasons for bodies that are not JSON")
struct SyntaxReasonTests {
    static let cases: [(body: [UInt8], reason: String)] = [
        (Array(#"{"type":"bye","reason":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8),
         "string is not valid UTF-8 at byte 24"),
        (Array((#"{"type":"bye","reason":"x","e":"# + String(repeating: "[", count: 600)).utf8),
         "arrays and objects nested more than 512 deep"),
        (Array(#"{"type":"heartbeat","sent_at_ms":1e999999,"running":[]}"#.utf8),
         "number is not representable as a Double at byte"),
        (Array(#"{"type":"bye","reason":"x"} trailing"#.utf8), "content after the JSON value at byte"),
        (Array(#"{"type":"bye","reason":"x""#.utf8), "unexpected end of JSON text at byte"),
    ]

    @Test("the reason names the defect and its byte offset", arguments: 0..<cases.count)
    func reason(_ index: Int) {
        let (body, reason) = Self.cases[index]
        #expect {
            try WireCodec().decode(body: ByteBuffer(bytes: body))
        } throws: { error in
            guard case .invalidJSON(let text) = error as? WireError else { return false }
            return text.contains(reason)
        }
    }
}
