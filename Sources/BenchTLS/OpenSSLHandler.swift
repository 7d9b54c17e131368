import COpenSSL
import NIOCore

/// A NIO handler that runs TLS with system OpenSSL over memory BIOs.
///
/// ```
///  network ──► channelRead(ciphertext) ──► [rbio → SSL → plaintext] ──► fireChannelRead(ByteBuffer)
///  network ◄── write(ciphertext)       ◄── [SSL → wbio]             ◄── write(ByteBuffer plaintext)
/// ```
///
/// Behaviour:
/// - Starts the handshake on `channelActive` (or when added to an active channel) as client or server, as set by
///   the ``TLSContext``'s role. Fires ``TLSHandshakeCompleted`` inbound and succeeds ``handshakeCompleted`` once
///   the peer's certificate is verified **and present**.
/// - A client with a `serverHostname` verifies it against the server certificate's SAN (DNS name or IP literal);
///   SNI is sent for DNS names only. With `nil` only the chain is verified.
/// - Application writes issued before the handshake completes are buffered and sent after it; they fail with
///   ``TLSError/Code/channelClosed`` if the connection closes first.
/// - `close()` sends `close_notify` and then closes the channel. EOF during the handshake and EOF without
///   `close_notify` are reported as ``TLSError`` (`.eofDuringHandshake`, `.uncleanShutdown`) through
///   `fireErrorCaught`.
/// - The handshake must finish within ``TLSConfiguration/handshakeTimeout`` (scheduled on the channel's event
///   loop) or the channel is closed with `.handshakeTimeout`.
/// - Every OpenSSL failure is a ``TLSError`` carrying the drained OpenSSL error queue; after a fatal error the
///   channel is closed without further TLS I/O.
public final class OpenSSLHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    /// Creates a handler for one connection.
    /// - Parameters:
    ///   - context: the shared context; its role decides client or server.
    ///   - serverHostname: on a client, the name (or IP literal) the server certificate must carry. Ignored on
    ///     a server.
    public init(context: TLSContext, serverHostname: String? = nil) {
        fatalError("TODO")
    }

    /// The verified peer, once the handshake has completed; `nil` before. Read on the channel's event loop.
    public var peerIdentity: TLSPeerIdentity? {
        fatalError("TODO")
    }

    /// Succeeds with the verified peer when the handshake completes; fails with the ``TLSError`` that ended the
    /// connection otherwise (or `.channelClosed` if it closed or the handler was removed first).
    /// Available once the handler has been added to a pipeline (a programmer error before).
    public var handshakeCompleted: EventLoopFuture<TLSPeerIdentity> {
        fatalError("TODO")
    }
}

@available(*, unavailable)
extension OpenSSLHandler: Sendable {}
