import Foundation
import NIOCore

/// Converts between ``WireMessage`` values and frames (length prefix + JSON), with the frame size limit applied
/// both ways. The channel handlers use it; so can code that stores or replays frames.
///
///     0                   1                   2                   3
///     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |          body length N (unsigned 32-bit, big-endian)         |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |      body: N bytes of UTF-8 JSON, one object with "type"     |
///    |                      1 <= N <= max frame                     |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
public struct WireCodec: Sendable {
    /// The largest accepted body, in bytes.
    public let maxFrameLength: Int
    private let encoder: JSONEncoder
    private let decoder: JSONDecoder

    /// Creates a codec.
    /// - Parameter maxFrameLength: largest body in bytes, `1...WireProtocol.largestConfigurableFrameLength`.
    public init(maxFrameLength: Int = WireProtocol.defaultMaxFrameLength) {
        precondition(
            (1...WireProtocol.largestConfigurableFrameLength).contains(maxFrameLength),
            "maxFrameLength must be between 1 and 2^32-1"
        )
        self.maxFrameLength = maxFrameLength
        self.encoder = JSONEncoder()
        // Sorted keys make the bytes of a message deterministic (tests pin them); readers must not rely on order.
        self.encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.decoder = JSONDecoder()
    }

    /// Decodes one frame body (the JSON, without the length prefix).
    public func decode(body: ByteBuffer) throws(WireError) -> WireMessage {
        guard body.readableBytes > 0 else { throw .emptyFrame }
        guard body.readableBytes <= maxFrameLength else {
            throw .frameTooLarge(declared: body.readableBytes, max: maxFrameLength)
        }
        do {
            return try decoder.decode(WireMessage.self, from: Data(body.readableBytesView))
        } catch let error as WireError {
            throw error
        } catch let error as DecodingError {
            throw .invalidJSON(reason: Self.syntaxReason(error))
        } catch {
            throw .invalidJSON(reason: String(describing: type(of: error)))
        }
    }

    /// Encodes `message` as JSON without the length prefix.
    public func encodeBody(_ message: WireMessage) throws(WireError) -> Data {
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

    /// Appends one complete frame (length prefix and JSON body) for `message` to `buffer`.
    /// Nothing is written if the message cannot be encoded or is larger than ``maxFrameLength``.
    public func encodeFrame(_ message: WireMessage, into buffer: inout ByteBuffer) throws(WireError) {
        let body = try encodeBody(message)
        buffer.reserveCapacity(minimumWritableBytes: WireProtocol.lengthPrefixSize + body.count)
        // encodeBody guarantees body.count <= maxFrameLength <= UInt32.max.
        buffer.writeInteger(UInt32(truncatingIfNeeded: body.count), endianness: .big)
        buffer.writeBytes(body)
    }

    private static func syntaxReason(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
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
