import BenchJSON
import BenchProtocol
import NIOCore
import Synchronization

/// Bytes on the wire (TLS records included, as the socket carries them) across every connection that shares this
/// counter: set ``WireConfiguration/traffic`` and each connection's pipeline counts at its socket end. Read by
/// `/metrics` (`mmmbench_wire_bytes_total`).
public final class WireTrafficCounter: Sendable, Hashable {
    private let received = Atomic<Int>(0)
    private let sent = Atomic<Int>(0)

    public init() {}

    /// Bytes read from the sockets so far.
    public var bytesIn: Int { received.load(ordering: .relaxed) }
    /// Bytes written to the sockets so far (counted when handed to the socket).
    public var bytesOut: Int { sent.load(ordering: .relaxed) }

    func addIn(_ count: Int) { received.wrappingAdd(count, ordering: .relaxed) }
    func addOut(_ count: Int) { sent.wrappingAdd(count, ordering: .relaxed) }

    public static func == (lhs: WireTrafficCounter, rhs: WireTrafficCounter) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// The first handler of a wire pipeline when ``WireConfiguration/traffic`` is set: counts the bytes that pass.
final class WireTrafficHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let counter: WireTrafficCounter

    init(counter: WireTrafficCounter) {
        self.counter = counter
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        counter.addIn(unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        counter.addOut(unwrapOutboundIn(data).readableBytes)
        context.write(data, promise: promise)
    }
}
