import BenchJSON
import BenchProtocol
import Foundation
import NIOCore

/// The reference codec: Codable `WireMessage` through Foundation's `JSONDecoder` and `JSONEncoder`. The fast path
/// falls back to it, so its verdicts and errors are the contract; benchmarks and equivalence tests call it
/// directly to compare.
extension WireCodec {
    /// Decodes one frame body through Codable and `JSONDecoder` only (what ``decode(body:)`` did before the fast
    /// path; same result, slower).
    @_spi(CodecComparison)
    public func decodeWithFoundation(body: ByteBuffer) throws(WireError) -> WireMessage {
        try checkInboundLength(body)
        return try foundationMessage(body)
    }

    /// Decodes one frame body through the fast path only: nil wherever ``decode(body:)`` would fall back.
    @_spi(CodecComparison)
    public func decodeFastPathOnly(body: ByteBuffer) -> WireMessage? {
        guard (1...maxFrameLength).contains(body.readableBytes) else { return nil }
        return Self.fastMessage(body)
    }

    /// Encodes `message` through Codable and `JSONEncoder` only (what ``encodeBody(_:)`` did before the fast path;
    /// the same bytes, slower).
    @_spi(CodecComparison)
    public func encodeBodyWithFoundation(_ message: WireMessage) throws(WireError) -> Data {
        try foundationBody(message)
    }

    func foundationMessage(_ body: ByteBuffer) throws(WireError) -> WireMessage {
        do {
            return try decoder.decode(WireMessage.self, from: Data(body.readableBytesView))
        } catch let error as WireError {
            throw error
        } catch let error as DecodingError {
            throw .invalidJSON(reason: Self.syntaxReason(error, body: body))
        } catch {
            throw .invalidJSON(reason: String(describing: type(of: error)))
        }
    }

    func foundationBody(_ message: WireMessage) throws(WireError) -> Data {
        let data: Data
        do {
            data = try encoder.encode(message)
        } catch {
            throw .unencodable(type: message.type.rawValue, reason: Self.encodingReason(error))
        }
        guard data.count <= maxFrameLength else {
            throw .outboundFrameTooLarge(type: message.type.rawValue, length: data.count, max: maxFrameLength)
        }
        return data
    }

    /// Why the body is not JSON. `JSONDecoder` says only "The given data was not valid JSON." on Linux, so when
    /// ``JSONReader`` refuses the body too, its reason (what and at which byte) is given instead; the verdict stays
    /// `JSONDecoder`'s.
    private static func syntaxReason(_ error: DecodingError, body: ByteBuffer) -> String {
        switch error {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                do {
                    _ = try JSONReader.value(from: body)
                } catch {
                    return error.description
                }
            }
            if let underlying = context.underlyingError {
                return "\(context.debugDescription) (\(underlying))"
            }
            return context.debugDescription
        default:
            return "undecodable JSON"
        }
    }

    private static func encodingReason(_ error: any Error) -> String {
        if case .invalidValue(_, let context) = error as? EncodingError {
            let field = WireError.fieldPath(context.codingPath)
            return "\(field): \(context.debugDescription)"
        }
        return String(describing: type(of: error))
    }
}
