import BenchJSON
import BenchProtocol
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
    /// The reference encoder (see `WireCodec+Foundation.swift`).
    let encoder: JSONEncoder
    /// The reference decoder.
    let decoder: JSONDecoder

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
    ///
    /// The body is parsed by ``JSONReader`` and the message built from the tree; whatever that fast path refuses
    /// (invalid messages, and the few valid spellings it leaves alone, see `WireMessage.init(parsed:)`) is decoded
    /// again through Codable and `JSONDecoder`, whose verdict and ``WireError`` are the contract.
    public func decode(body: ByteBuffer) throws(WireError) -> WireMessage {
        try checkInboundLength(body)
        if !Self.referenceOnly, let message = Self.fastMessage(body) { return message }
        return try foundationMessage(body)
    }

    /// True when the environment sets `MMMBENCH_WIRE_JSON=foundation`: every frame then goes through the reference
    /// Codable path only (same bytes and messages, slower), for A/B measurements of the same build, or as a way
    /// around the hand-written path should it ever misbehave.
    public static let referenceOnly = ProcessInfo.processInfo.environment["MMMBENCH_WIRE_JSON"] == "foundation"

    /// Encodes `message` as JSON without the length prefix.
    public func encodeBody(_ message: WireMessage) throws(WireError) -> Data {
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        try appendBody(message, to: &buffer)
        return Data(buffer.readableBytesView)
    }

    /// Appends one complete frame (length prefix and JSON body) for `message` to `buffer`.
    /// Nothing is written if the message cannot be encoded or is larger than ``maxFrameLength``.
    public func encodeFrame(_ message: WireMessage, into buffer: inout ByteBuffer) throws(WireError) {
        let frameStart = buffer.writerIndex
        buffer.writeInteger(UInt32(0), endianness: .big)
        do {
            try appendBody(message, to: &buffer)
        } catch {
            buffer.moveWriterIndex(to: frameStart)
            throw error
        }
        // appendBody guarantees the body length is at most maxFrameLength <= UInt32.max.
        let length = buffer.writerIndex - frameStart - WireProtocol.lengthPrefixSize
        buffer.setInteger(UInt32(truncatingIfNeeded: length), at: frameStart, endianness: .big)
    }

    func checkInboundLength(_ body: ByteBuffer) throws(WireError) {
        guard body.readableBytes > 0 else { throw .emptyFrame }
        guard body.readableBytes <= maxFrameLength else {
            throw .frameTooLarge(declared: body.readableBytes, max: maxFrameLength)
        }
    }

    /// The message in `body` if the fast path accepts it.
    static func fastMessage(_ body: ByteBuffer) -> WireMessage? {
        guard let json = try? JSONReader.value(from: body) else { return nil }
        return WireMessage(parsed: json)
    }

    /// Appends the JSON of `message` at the writer index of `buffer`, or throws and leaves `buffer` as it was.
    ///
    /// The hand-written writer produces `JSONEncoder`'s bytes; if it refuses the message (a non-finite number,
    /// nesting too deep), the Codable encoding runs to report the exact error.
    private func appendBody(_ message: WireMessage, to buffer: inout ByteBuffer) throws(WireError) {
        // Bytes are gathered in an array first: one ByteBuffer write instead of one per token.
        if Self.referenceOnly {
            buffer.writeBytes(try foundationBody(message))
            return
        }
        var body: [UInt8] = []
        body.reserveCapacity(512)
        do {
            try message.writeJSON(into: &body)
        } catch {
            buffer.writeBytes(try foundationBody(message))
            return
        }
        guard body.count <= maxFrameLength else {
            throw .outboundFrameTooLarge(type: message.type.rawValue, length: body.count, max: maxFrameLength)
        }
        buffer.writeBytes(body)
    }
}
