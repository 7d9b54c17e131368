import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP proxy on 127.0.0.1 (port 0) in front of another loopback port, for partition tests: it relays bytes both
/// ways until told to blackhole them (bytes dropped, closes not passed on, as a silent network would), and resets
/// every connection on request (SO_LINGER 0: the peers see a connection reset).
final class FaultProxy: Sendable {
    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let server: any Channel
    private let state: SharedState

    struct State {
        var blackholed = false
        var connections: [any Channel] = []
        var accepted = 0
    }

    /// The proxy's state, shared with its relays.
    final class SharedState: Sendable {
        let mutex = NIOLockedValueBox(State())
        func withLockedValue<T>(_ body: (inout State) -> T) -> T { mutex.withLockedValue { body(&$0) } }
    }

    init(targetPort: Int) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let state = SharedState()
        self.group = group
        self.state = state
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: targetPort)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in
                // Both sides on the inbound channel's event loop, so the relays are set up synchronously.
                ClientBootstrap(group: inbound.eventLoop).connect(to: target).flatMapThrowing { outbound in
                    state.withLockedValue { $0.connections += [inbound, outbound]; $0.accepted += 1 }
                    try inbound.pipeline.syncOperations.addHandler(Relay(partner: outbound, state: state))
                    try outbound.pipeline.syncOperations.addHandler(Relay(partner: inbound, state: state))
                }.flatMap { inbound.setOption(.autoRead, value: true) }
            }
        server = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        guard let port = server.localAddress?.port else { throw IntegrationError("proxy has no port") }
        self.port = port
    }

    /// Connections accepted so far (each one agent session through the proxy).
    var accepted: Int { state.withLockedValue { $0.accepted } }

    /// Drops every byte from now on, in both directions, and stops passing closes on.
    func blackhole() {
        state.withLockedValue { $0.blackholed = true }
    }

    /// Resets every connection through the proxy and relays normally again.
    func resetAll() async {
        let connections = state.withLockedValue { state in
            state.blackholed = false
            defer { state.connections = [] }
            return state.connections
        }
        for channel in connections {
            _ = try? await (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            _ = try? await channel.close().get()
        }
    }

    func shutdown() async {
        await resetAll()
        _ = try? await server.close().get()
        try? await group.shutdownGracefully()
    }

    /// Passes what one side reads to the other, unless blackholed.
    final class Relay: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let partner: any Channel
        let state: SharedState

        init(partner: any Channel, state: SharedState) {
            self.partner = partner
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !state.withLockedValue({ $0.blackholed }) else { return }
            partner.writeAndFlush(Self.unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !state.withLockedValue({ $0.blackholed }) { partner.close(promise: nil) }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension FaultProxy.Relay: Sendable {}
