import BenchJSON
import BenchProtocol
import NIOCore
import NIOExtras

/// Splits inbound bytes into frame bodies, refusing a bad length the moment its 4-byte header arrives.
///
/// swift-nio-extras' `LengthFieldBasedFrameDecoder` does the splitting; it has no size cap of its own (a header
/// claiming 2 GiB would be buffered), so this decoder peeks at each header first and throws
/// ``WireError/frameTooLarge(declared:max:)`` or ``WireError/emptyFrame`` before a single body byte is buffered.
/// Install it inside `ByteToMessageHandler(_:maximumBufferSize:)` with
/// ``WireFrameDecoder/maximumBufferSize(maxFrameLength:)`` as a second line of defence.
///
/// After an error the `ByteToMessageHandler` drops all further input; the session closes the connection.
public final class WireFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    private enum State {
        /// The next bytes are a length prefix (not yet checked).
        case atHeader
        /// The prefix was checked and consumed; the inner decoder waits for the body.
        case inBody
    }

    /// The largest accepted body, in bytes.
    public let maxFrameLength: Int
    private let frames = LengthFieldBasedFrameDecoder(lengthFieldLength: .four, lengthFieldEndianness: .big)
    private var state = State.atHeader

    /// Creates a decoder accepting bodies of `1...maxFrameLength` bytes.
    public init(maxFrameLength: Int = WireProtocol.defaultMaxFrameLength) {
        precondition(
            (1...WireProtocol.largestConfigurableFrameLength).contains(maxFrameLength),
            "maxFrameLength must be between 1 and 2^32-1"
        )
        self.maxFrameLength = maxFrameLength
    }

    /// The buffer bound for the enclosing `ByteToMessageHandler`: one incomplete frame, prefix included. After each
    /// decode pass at most that much stays buffered, so exceeding it means a bug, not a peer's choice.
    public static func maximumBufferSize(maxFrameLength: Int) -> Int {
        maxFrameLength + WireProtocol.lengthPrefixSize
    }

    public func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if case .atHeader = state {
            guard let declared = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
                return .needMoreData
            }
            try Self.check(declaredLength: declared, maxFrameLength: maxFrameLength)
        }
        // With a checked header readable, the inner decoder consumes it; `.continue` means it also emitted the body.
        let result = try frames.decode(context: context, buffer: &buffer)
        state = result == .continue ? .atHeader : .inBody
        return result
    }

    public func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        let pending = buffer.readableBytes + (state == .inBody ? WireProtocol.lengthPrefixSize : 0)
        if pending > 0 {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            throw WireError.truncatedFrame(bufferedBytes: pending)
        }
        return .needMoreData
    }

    /// Throws unless `declaredLength` is an acceptable body length.
    static func check(declaredLength: UInt32, maxFrameLength: Int) throws(WireError) {
        guard declaredLength > 0 else { throw .emptyFrame }
        guard let length = Int(exactly: declaredLength), length <= maxFrameLength else {
            throw .frameTooLarge(declared: Int(exactly: declaredLength) ?? .max, max: maxFrameLength)
        }
    }
}

@available(*, unavailable)
extension WireFrameDecoder: Sendable {}
