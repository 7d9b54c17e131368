import BenchJSON
import BenchProtocol
import NIOCore

/// Encodes each outbound ``WireMessage`` into one complete frame (length prefix and JSON body in a single buffer).
///
/// One buffer per message keeps one message in one TLS record; swift-nio-extras' `LengthFieldPrepender` would
/// write the prefix and the body separately. A message that cannot be encoded or is larger than the frame limit
/// is not sent: its write promise fails with the ``WireError`` and the error is also fired inbound, because
/// `NIOAsyncChannel` writes without promises and the session would otherwise never learn of it.
public final class WireMessageEncoder: ChannelOutboundHandler {
    public typealias OutboundIn = WireMessage
    public typealias OutboundOut = ByteBuffer

    private let codec: WireCodec

    /// Creates an encoder that uses `codec`'s JSON rules and frame limit.
    public init(codec: WireCodec = WireCodec()) {
        self.codec = codec
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let message = Self.unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: 256)
        do {
            try codec.encodeFrame(message, into: &buffer)
        } catch {
            promise?.fail(error)
            context.fireErrorCaught(error)
            return
        }
        context.write(Self.wrapOutboundOut(buffer), promise: promise)
    }
}

@available(*, unavailable)
extension WireMessageEncoder: Sendable {}
