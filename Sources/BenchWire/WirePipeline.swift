import BenchJSON
import BenchProtocol
import BenchTLS
import NIOCore

/// Installs the wire protocol stack on a channel:
///
///     socket ⇄ OpenSSLHandler ⇄ WireFrameDecoder (in ByteToMessageHandler) → WireMessageDecoder → NIOAsyncChannel
///                             ⇠ WireMessageEncoder ⇠──────────────────────────────────────────────┘
///
/// Call the `configure…` functions on the channel's event loop, in a bootstrap's channel initializer, and await
/// ``WirePendingConnection/handshakeCompleted()`` afterwards (``WireServer`` and ``WireClient`` do both).
public enum WirePipeline {
    /// Configures an accepted (server-side) channel with a context whose role is `.server`.
    public static func configureServer(
        _ channel: any Channel,
        tlsContext: TLSContext,
        configuration: WireConfiguration = WireConfiguration()
    ) throws -> WirePendingConnection {
        precondition(tlsContext.role == .server, "configureServer needs a server TLSContext")
        return try configure(channel, tls: OpenSSLHandler(context: tlsContext), configuration: configuration)
    }

    /// Configures an outgoing (client-side) channel with a context whose role is `.client`; the server's
    /// certificate must carry `serverHostname` (DNS name or IP literal) as a subjectAltName.
    public static func configureClient(
        _ channel: any Channel,
        tlsContext: TLSContext,
        serverHostname: String,
        configuration: WireConfiguration = WireConfiguration()
    ) throws -> WirePendingConnection {
        precondition(tlsContext.role == .client, "configureClient needs a client TLSContext")
        let tls = OpenSSLHandler(context: tlsContext, serverHostname: serverHostname)
        return try configure(channel, tls: tls, configuration: configuration)
    }

    private static func configure(
        _ channel: any Channel,
        tls: OpenSSLHandler,
        configuration: WireConfiguration
    ) throws -> WirePendingConnection {
        channel.eventLoop.preconditionInEventLoop()
        let pipeline = channel.pipeline.syncOperations
        if let traffic = configuration.traffic { try pipeline.addHandler(WireTrafficHandler(counter: traffic)) }
        try pipeline.addHandler(tls)
        let handshake = tls.handshakeCompleted
        try addCodecHandlers(to: pipeline, configuration: configuration)
        let asyncChannel = try NIOAsyncChannel<WireMessage, WireMessage>(
            wrappingChannelSynchronously: channel,
            configuration: configuration.asyncChannelConfiguration
        )
        return WirePendingConnection(channel: asyncChannel, handshake: handshake, remoteAddress: channel.remoteAddress)
    }

    /// Adds framing and the JSON codec (everything but TLS) at the end of `pipeline`.
    static func addCodecHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations,
        configuration: WireConfiguration
    ) throws {
        let codec = WireCodec(maxFrameLength: configuration.maxFrameLength)
        let frames = ByteToMessageHandler(
            WireFrameDecoder(maxFrameLength: configuration.maxFrameLength),
            maximumBufferSize: WireFrameDecoder.maximumBufferSize(maxFrameLength: configuration.maxFrameLength)
        )
        try pipeline.addHandler(frames)
        try pipeline.addHandler(WireMessageDecoder(codec: codec))
        try pipeline.addHandler(WireMessageEncoder(codec: codec))
    }

    /// **Tests of the codec only.** Installs framing and the JSON codec without TLS. mmmbench never sends
    /// unencrypted frames; this exists so codec tests can run over `EmbeddedChannel` or plain loopback sockets.
    @_spi(PlaintextForTesting)
    public static func configurePlaintextForTesting(
        _ channel: any Channel,
        configuration: WireConfiguration = WireConfiguration()
    ) throws -> NIOAsyncChannel<WireMessage, WireMessage> {
        channel.eventLoop.preconditionInEventLoop()
        try addCodecHandlers(to: channel.pipeline.syncOperations, configuration: configuration)
        return try NIOAsyncChannel<WireMessage, WireMessage>(
            wrappingChannelSynchronously: channel,
            configuration: configuration.asyncChannelConfiguration
        )
    }
}
