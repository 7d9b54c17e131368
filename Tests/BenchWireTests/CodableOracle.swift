import BenchJSON
import BenchProtocol
import Foundation

/// The wire types' Codable conformances through Foundation's `JSONEncoder`/`JSONDecoder`: the oracle the codec
/// (BenchProtocol's one decoder and one encoder per type) is checked against. Tests only; the product never parses
/// a frame twice.
enum CodableOracle {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The oracle's bytes for `message`, or nil when it cannot encode it.
    static func encode(_ message: WireMessage) -> Data? {
        try? encoder.encode(message)
    }

    /// The oracle's message for `body`, or nil when it refuses it.
    static func decode(_ body: some Sequence<UInt8>) -> WireMessage? {
        try? JSONDecoder().decode(WireMessage.self, from: Data(body))
    }

    /// Where the codec may refuse what the oracle accepts, by design: JSON that only Foundation tolerates (a
    /// trailing comma, a byte order mark, a zero spelled with an exponent) and integers of 2^53 or more, which a
    /// JSON number read as a double cannot carry exactly.
    static func isDeliberateRefusal(_ error: WireError) -> Bool {
        switch error {
        case .invalidJSON: return true
        case .invalidField(_, _, let reason): return reason.contains("below 2^53")
        default: return false
        }
    }

    /// Checks the codec's verdict on `body` against the oracle's: whatever the codec accepts the oracle accepts as
    /// the same message; whatever the oracle accepts the codec accepts too, unless ``isDeliberateRefusal(_:)``.
    /// Returns a description of the disagreement, nil when they agree.
    static func disagreement(codec: Result<WireMessage, WireError>, body: [UInt8]) -> String? {
        let oracle = decode(body)
        switch (codec, oracle) {
        case (.success(let message), let expected?):
            return message == expected ? nil : "codec read \(message), oracle \(expected)"
        case (.success(let message), nil):
            return "codec accepted \(message), the oracle refused"
        case (.failure(let error), let expected?):
            return isDeliberateRefusal(error) ? nil : "codec refused (\(error)), the oracle read \(expected)"
        case (.failure, nil):
            return nil
        }
    }
}
