import BenchJSON
import BenchProtocol
import BenchTLS
import NIOCore

/// An established, authenticated wire connection: messages in and out, and who the peer is.
///
/// Use it inside `channel.executeThenClose { inbound, outbound in ... }`: iterate `inbound` for the peer's
/// messages (it throws a ``WireError`` or `TLSError` when the peer breaks the protocol or the connection fails)
/// and `try await outbound.write(message)` to send.
public struct WireConnection: Sendable {
    /// The messages of the connection.
    public let channel: NIOAsyncChannel<WireMessage, WireMessage>
    /// The peer as verified from its certificate during the TLS handshake.
    public let peer: TLSPeerIdentity
    /// The peer's socket address, if known.
    public let remoteAddress: SocketAddress?

    /// Wraps an established connection (the pipeline builder creates these).
    public init(channel: NIOAsyncChannel<WireMessage, WireMessage>, peer: TLSPeerIdentity, remoteAddress: SocketAddress?) {
        self.channel = channel
        self.peer = peer
        self.remoteAddress = remoteAddress
    }
}

/// A connection whose pipeline is installed but whose TLS handshake may still be running.
///
/// Returned synchronously by ``WirePipeline`` so that bootstraps can hand it out at once; the handshake is awaited
/// per connection (``handshakeCompleted()``), so one slow or silent peer holds up nobody else.
public struct WirePendingConnection: Sendable {
    /// The messages of the connection; writes issued now are sent after the handshake.
    public let channel: NIOAsyncChannel<WireMessage, WireMessage>
    /// Succeeds with the verified peer, or fails with the `TLSError` that ended the handshake.
    public let handshake: EventLoopFuture<TLSPeerIdentity>
    /// The peer's socket address, if known.
    public let remoteAddress: SocketAddress?

    /// Waits for the TLS handshake and returns the authenticated connection. On failure the channel is closed and
    /// the handshake's `TLSError` is thrown.
    public func handshakeCompleted() async throws -> WireConnection {
        do {
            let peer = try await handshake.get()
            return WireConnection(channel: channel, peer: peer, remoteAddress: remoteAddress)
        } catch {
            try? await channel.channel.close()
            throw error
        }
    }
}
