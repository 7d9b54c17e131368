import BenchJSON
import BenchProtocol
import BenchTLS
import NIOCore
import NIOPosix

/// Opens wire connections to a coordinator.
public enum WireClient {
    /// Connects over TCP, runs the TLS handshake (verifying that the server's certificate names
    /// `serverHostname`) and returns the authenticated connection.
    ///
    /// - Parameters:
    ///   - host: address or name to connect to.
    ///   - port: TCP port.
    ///   - tlsContext: a context with role `.client` (the agent's certificate and the CA).
    ///   - serverHostname: the DNS name or IP literal the server certificate must carry.
    ///   - configuration: frame limit and buffering.
    ///   - connectTimeout: limit for the TCP connect (the handshake has its own, in the TLS configuration).
    ///   - eventLoopGroup: where the connection runs.
    /// - Throws: connect errors from NIO, `TLSError` when the handshake fails.
    public static func connect(
        host: String,
        port: Int,
        tlsContext: TLSContext,
        serverHostname: String,
        configuration: WireConfiguration = WireConfiguration(),
        connectTimeout: TimeAmount = .seconds(10),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> WireConnection {
        let pending = try await ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try WirePipeline.configureClient(
                        channel,
                        tlsContext: tlsContext,
                        serverHostname: serverHostname,
                        configuration: configuration
                    )
                }
            }
        return try await pending.handshakeCompleted()
    }
}
