import BenchJSON
import BenchProtocol
import NIOCore

/// Decodes each frame body into a ``WireMessage``.
///
/// A body that is not a valid message is reported once through `fireErrorCaught` as a ``WireError``; the handler
/// then ignores all further frames, because a peer that sent one invalid message is not trusted with more. Closing
/// the connection is the session's decision (it may first send `reject` or `bye`).
public final class WireMessageDecoder: ChannelInboundHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = WireMessage

    private let codec: WireCodec
    private var failed = false

    /// Creates a decoder that uses `codec`'s JSON rules and frame limit.
    public init(codec: WireCodec = WireCodec()) {
        self.codec = codec
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let body = Self.unwrapInboundIn(data)
        do {
            let message = try codec.decode(body: body)
            context.fireChannelRead(Self.wrapInboundOut(message))
        } catch {
            failed = true
            context.fireErrorCaught(error)
        }
    }
}

@available(*, unavailable)
extension WireMessageDecoder: Sendable {}
