import BenchJSON
import BenchProtocol
import BenchTLS
import NIOCore
import NIOPosix

/// A listening wire endpoint: accepts TCP connections, authenticates them with TLS and hands each established
/// connection to a handler in its own task.
///
///     let server = try await WireServer.bind(host: "0.0.0.0", port: 7443, tlsContext: serverContext)
///     try await server.run { connection in
///         try await connection.channel.executeThenClose { inbound, outbound in ... }
///     }
///
/// A failing handshake or handler affects only its own connection.
public struct WireServer: Sendable {
    /// The address the server listens on (with the actual port when bound to port 0).
    public let localAddress: SocketAddress
    private let listener: NIOAsyncChannel<WirePendingConnection, Never>
    /// Connections accepted and not yet through their TLS handshake.
    private let handshakes: ConnectionGate

    /// The TCP port the server listens on.
    public var port: Int { localAddress.port ?? 0 }

    /// Binds a listening socket. Port 0 picks a free port (read it from ``port``).
    /// - Parameters:
    ///   - host: address to listen on.
    ///   - port: TCP port, 0 for any free port.
    ///   - tlsContext: a context with role `.server` (the coordinator's certificate and the CA).
    ///   - configuration: frame limit and buffering for every connection.
    ///   - backlog: the listen backlog.
    ///   - eventLoopGroup: where the listener and the connections run.
    public static func bind(
        host: String,
        port: Int,
        tlsContext: TLSContext,
        configuration: WireConfiguration = WireConfiguration(),
        backlog: Int32 = 256,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> WireServer {
        try await bind(host: host, port: port, tlsContext: { tlsContext }, configuration: configuration,
                       backlog: backlog, eventLoopGroup: eventLoopGroup)
    }

    /// Binds a listening socket whose connections take their TLS context from `tlsContexts` when they are accepted,
    /// so that a reload (``ReloadableTLSContext/reload()``) applies to new connections and leaves established ones
    /// alone. Parameters as ``bind(host:port:tlsContext:configuration:backlog:eventLoopGroup:)``.
    public static func bind(
        host: String,
        port: Int,
        tlsContexts: ReloadableTLSContext,
        configuration: WireConfiguration = WireConfiguration(),
        backlog: Int32 = 256,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> WireServer {
        try await bind(host: host, port: port, tlsContext: { tlsContexts.current }, configuration: configuration,
                       backlog: backlog, eventLoopGroup: eventLoopGroup)
    }

    private static func bind(
        host: String,
        port: Int,
        tlsContext: @escaping @Sendable () -> TLSContext,
        configuration: WireConfiguration,
        backlog: Int32,
        eventLoopGroup: any EventLoopGroup
    ) async throws -> WireServer {
        let listener = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try WirePipeline.configureServer(channel, tlsContext: tlsContext(), configuration: configuration)
                }
            }
        guard let address = listener.channel.localAddress else {
            try? await listener.channel.close()
            throw ChannelError.unknownLocalAddress
        }
        return WireServer(localAddress: address, listener: listener,
                          handshakes: ConnectionGate(limit: configuration.maxPendingHandshakes))
    }

    /// Accepts connections until ``close()`` is called (or the task is cancelled), running `handler` for each
    /// authenticated connection in its own child task; returns when the listener is closed and every handler has
    /// returned. Call at most once.
    ///
    /// The connection is closed when `handler` returns or throws. Handshake failures, connections refused because
    /// ``WireConfiguration/maxPendingHandshakes`` others wait for their handshake
    /// (``WireServerError/tooManyPendingHandshakes(limit:)``) and errors thrown by `handler` go to
    /// `onConnectionError` with the peer's address and never stop the server.
    public func run(
        onConnectionError: @escaping @Sendable (_ error: any Error, _ remoteAddress: SocketAddress?) -> Void = { _, _ in },
        handler: @escaping @Sendable (WireConnection) async throws -> Void
    ) async throws {
        try await listener.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await pending in connections {
                    guard handshakes.enter() else {
                        // Closed through the async channel, which must see its writer finished.
                        group.addTask {
                            try? await pending.channel.executeThenClose { _, _ in }
                            onConnectionError(WireServerError.tooManyPendingHandshakes(limit: handshakes.limit),
                                              pending.remoteAddress)
                        }
                        continue
                    }
                    group.addTask {
                        do {
                            let connection: WireConnection
                            do {
                                connection = try await pending.handshakeCompleted()
                                handshakes.leave()
                            } catch {
                                handshakes.leave()
                                throw error
                            }
                            try await handler(connection)
                        } catch {
                            onConnectionError(error, pending.remoteAddress)
                        }
                        try? await pending.channel.channel.close()
                    }
                }
            }
        }
    }

    /// Stops accepting connections. Established connections stay open until their handlers return.
    public func close() async {
        try? await listener.channel.close()
    }
}
