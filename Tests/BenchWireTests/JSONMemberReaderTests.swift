import BenchJSON
import Foundation
import Testing

/// `JSONReader.forEachMember(ofObjectIn:_:)` (the stored metric's reader walks its members with it) accepts and
/// refuses exactly what `JSONReader.value(from:)` does, with the same error, and hands over an object's members in
/// text order: the first of each key is the dictionary's member.
@Suite("JSONReader: an object's members without its dictionary")
struct JSONMemberReaderTests {
    /// The members reader on `bytes`: nil when not an object, else the members with the first of each key kept.
    static func members(_ bytes: [UInt8]) -> Result<[String: JSONValue]?, JSONReadError> {
        bytes.withUnsafeBytes { raw in
            Result { () throws(JSONReadError) -> [String: JSONValue]? in
                var kept: [String: JSONValue] = [:]
                let isObject = try JSONReader.forEachMember(ofObjectIn: raw) { key, value in
                    let name = String(decoding: key, as: UTF8.self)
                    if kept[name] == nil { kept[name] = value }
                }
                return isObject ? kept : nil
            }
        }
    }

    static func check(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let whole = Result { () throws(JSONReadError) in try JSONReader.value(from: bytes) }
        switch (whole, members(bytes)) {
        case (.success(.object(let dictionary)), .success(let kept?)):
            #expect(kept == dictionary, sourceLocation: sourceLocation)
        case (.success(let value), .success(nil)):
            if case .object = value { Issue.record("an object read as not an object", sourceLocation: sourceLocation) }
        case (.failure(let wholeError), .failure(let memberError)):
            #expect(wholeError == memberError, "\(String(decoding: bytes, as: UTF8.self))",
                    sourceLocation: sourceLocation)
        case (let wholeResult, let memberResult):
            let text = String(decoding: bytes, as: UTF8.self)
            Issue.record("value(from:) \(wholeResult), forEachMember \(memberResult): \(text)",
                         sourceLocation: sourceLocation)
        }
    }

    @Test("hand-picked texts: objects, other values, duplicates, escaped and non-ASCII keys, every kind of error")
    func handPicked() {
        let texts = [
            "{}", " { } ", "{\"a\":1}", "{\"a\":1,\"a\":2}", "{\"a\\u0062\":1,\"ab\":2}", "{\"ab\":1,\"a\\u0062\":2}",
            "{\"é\":1,\"e\\u0301\":2}", "{\"k\":{\"k\":[1,{\"x\":null}]},\"k\":0}", "[1]", "\"s\"", "1", "null",
            "", "{", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{\"a\":1} x", "{}{}",
            "{\"a\\q\":1}", "{\"a\u{01}\":1}", "{\"a\":1,\"b\":[}", "{\"\\ud800\":1}", "{\"a\":01}", "[1,]",
        ]
        for text in texts { Self.check(Array(text.utf8)) }
        for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82]] {
            Self.check([0x7B, 0x22] + bad + [0x22, 0x3A, 0x31, 0x7D]) // {"<bad>":1}
        }
    }

    @Test("random objects spelled every way, and their mutations, read the same both ways")
    func randomTexts() {
        var random = RandomJSON(seed: 20_261_206)
        var spelling = JSONSpelling(random: SplitMix64(seed: 1_206))
        var mutation = SplitMix64(seed: 99)
        var objects = 0
        for _ in 0..<2_000 {
            var members: [String: JSONValue] = [:]
            for _ in 0..<random.random.next(below: 6) { members[random.string()] = random.value(depth: 1) }
            var bytes = Array(spelling.text(.object(members)).utf8)
            Self.check(bytes)
            if case .success(_?) = Self.members(bytes) { objects += 1 }
            guard !bytes.isEmpty else { continue }
            bytes[mutation.next(below: bytes.count)] = UInt8(truncatingIfNeeded: mutation.next())
            Self.check(bytes)
        }
        // Most texts are objects both ways; a few spell an extreme number (a subnormal to 25 digits) that both
        // refuse alike, which the check above compared.
        #expect(objects > 1_500)
    }
}
