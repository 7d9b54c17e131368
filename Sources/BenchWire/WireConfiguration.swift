import BenchJSON
import BenchProtocol
import NIOCore

/// Tunables of a wire connection. The defaults suit the coordinator and agents.
public struct WireConfiguration: Sendable, Hashable {
    /// Largest frame body accepted or sent, in bytes (default 1 MiB). Both peers must agree; a larger inbound
    /// frame closes the connection with ``WireError/frameTooLarge(declared:max:)``.
    public var maxFrameLength: Int
    /// Inbound messages buffered for a slow reader before the connection stops reading from the socket.
    public var inboundHighWatermark: Int
    /// Buffered inbound messages at which reading resumes.
    public var inboundLowWatermark: Int
    /// Counts every connection's bytes at its socket end when set (`/metrics`); nil counts nothing.
    public var traffic: WireTrafficCounter?
    /// Server side: most accepted connections that may wait for their TLS handshake at the same time; more are
    /// closed at once (``WireServerError/tooManyPendingHandshakes(limit:)``). Each waits at most the TLS
    /// handshake timeout.
    public var maxPendingHandshakes: Int

    /// Creates a configuration.
    public init(
        maxFrameLength: Int = WireProtocol.defaultMaxFrameLength,
        inboundHighWatermark: Int = 64,
        inboundLowWatermark: Int = 8,
        maxPendingHandshakes: Int = 128
    ) {
        self.maxFrameLength = maxFrameLength
        self.inboundHighWatermark = inboundHighWatermark
        self.inboundLowWatermark = inboundLowWatermark
        self.maxPendingHandshakes = max(1, maxPendingHandshakes)
    }

    var asyncChannelConfiguration: NIOAsyncChannel<WireMessage, WireMessage>.Configuration {
        .init(
            backPressureStrategy: .init(
                lowWatermark: max(0, inboundLowWatermark),
                highWatermark: max(1, max(inboundLowWatermark, inboundHighWatermark))
            ),
            isOutboundHalfClosureEnabled: false,
            inboundType: WireMessage.self,
            outboundType: WireMessage.self
        )
    }
}
