import BenchJSON
import BenchProtocol
import Foundation
import NIOCore

/// Converts between ``WireMessage`` values and frames (length prefix + JSON), with the frame size limit applied
/// both ways. The channel handlers use it; so can code that stores or replays frames. The JSON of each message is
/// read and written by BenchProtocol (`WireMessage(jsonBytes:)`, `WireMessage.jsonBytes()`), once.
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

    /// Creates a codec.
    /// - Parameter maxFrameLength: largest body in bytes, `1...WireProtocol.largestConfigurableFrameLength`.
    public init(maxFrameLength: Int = WireProtocol.defaultMaxFrameLength) {
        precondition(
            (1...WireProtocol.largestConfigurableFrameLength).contains(maxFrameLength),
            "maxFrameLength must be between 1 and 2^32-1"
        )
        self.maxFrameLength = maxFrameLength
    }

    /// Decodes one frame body (the JSON, without the length prefix). The body is parsed once; a refusal names
    /// what was wrong (the byte, or the message member).
    public func decode(body: ByteBuffer) throws(WireError) -> WireMessage {
        guard body.readableBytes > 0 else { throw .emptyFrame }
        guard body.readableBytes <= maxFrameLength else {
            throw .frameTooLarge(declared: body.readableBytes, max: maxFrameLength)
        }
        let outcome = body.withUnsafeReadableBytes { raw in
            Result { () throws(WireError) -> WireMessage in try WireMessage(jsonBytes: raw) }
        }
        return try outcome.get()
    }

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

    /// Appends the JSON of `message` at the writer index of `buffer`, or throws and leaves `buffer` as it was.
    private func appendBody(_ message: WireMessage, to buffer: inout ByteBuffer) throws(WireError) {
        // Bytes are gathered in an array first: one ByteBuffer write instead of one per token.
        let body = try message.jsonBytes()
        guard body.count <= maxFrameLength else {
            throw .outboundFrameTooLarge(type: message.type.rawValue, length: body.count, max: maxFrameLength)
        }
        buffer.writeBytes(body)
    }
}
