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

    private let tlsContext: TLSContext
    private let serverHostname: String?
    /// The connection's OpenSSL state; released in `handlerRemoved` (internal so tests can check it is freed).
    private(set) var engine: TLSEngine?
    private var stateMachine = TLSConnectionStateMachine()
    private var bufferedWrites = CircularBuffer<(data: ByteBuffer, promise: EventLoopPromise<Void>?)>()
    private var handshakePromise: EventLoopPromise<TLSPeerIdentity>?
    private var handshakeFuture: EventLoopFuture<TLSPeerIdentity>?
    private var handshakeTimeout: Scheduled<Void>?
    /// A `read()` came from downstream and no plaintext has been delivered for it yet.
    private var readPending = false
    private var deliveredPlaintext = false

    /// The verified peer, once the handshake has completed; `nil` before. Read on the channel's event loop.
    public private(set) var peerIdentity: TLSPeerIdentity?

    /// Creates a handler for one connection.
    /// - Parameters:
    ///   - context: the shared context; its role decides client or server.
    ///   - serverHostname: on a client, the name (or IP literal) the server certificate must carry. Ignored on
    ///     a server.
    public init(context: TLSContext, serverHostname: String? = nil) {
        self.tlsContext = context
        self.serverHostname = serverHostname
    }

    /// Succeeds with the verified peer when the handshake completes; fails with the ``TLSError`` that ended the
    /// connection otherwise (or `.channelClosed` if it closed or the handler was removed first).
    /// Available once the handler has been added to a pipeline (a programmer error before).
    public var handshakeCompleted: EventLoopFuture<TLSPeerIdentity> {
        guard let handshakeFuture else {
            preconditionFailure("OpenSSLHandler.handshakeCompleted used before the handler was added to a pipeline")
        }
        return handshakeFuture
    }

    // MARK: - Lifecycle

    public func handlerAdded(context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: TLSPeerIdentity.self)
        handshakePromise = promise
        handshakeFuture = promise.futureResult
        do {
            engine = try TLSEngine(context: tlsContext, serverHostname: serverHostname)
        } catch {
            fail(error, context: context)
            return
        }
        if context.channel.isActive {
            start(context: context)
        }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        stateMachine.removed()
        finishHandshake(.failure(Self.closedError("handler removed")))
        failBufferedWrites(Self.closedError("handler removed"))
        engine = nil
    }

    public func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        start(context: context)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        switch stateMachine.channelInactive() {
        case .failHandshake:
            let error = TLSError(.eofDuringHandshake, operation: "handshake",
                                 reason: "connection closed by peer before the handshake completed")
            finishHandshake(.failure(error))
            context.fireErrorCaught(error)
        case .reportUncleanShutdown:
            context.fireErrorCaught(TLSError(.uncleanShutdown, operation: "read",
                                             reason: "connection closed without close_notify"))
        case .clean:
            break
        }
        finishHandshake(.failure(Self.closedError("connection closed")))
        failBufferedWrites(Self.closedError("connection closed"))
        context.fireChannelInactive()
    }

    // MARK: - Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let action = stateMachine.channelRead()
        guard action != .discard, let engine else { return }
        do {
            try engine.feed(unwrapInboundIn(data))
        } catch {
            fail(error, context: context)
            return
        }
        switch action {
        case .continueHandshake: advanceHandshake(context: context)
        case .readApplicationData: readApplicationData(context: context)
        case .discard: break
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        if deliveredPlaintext {
            deliveredPlaintext = false
            context.fireChannelReadComplete()
        }
        // Without auto-read, a read that produced no plaintext (handshake or a partial record) must be renewed,
        // or the pipeline waits forever.
        if readPending || stateMachine.isHandshaking, context.channel.isActive {
            context.read()
        }
    }

    // MARK: - Outbound

    public func read(context: ChannelHandlerContext) {
        readPending = true
        context.read()
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch stateMachine.write() {
        case .buffer: bufferedWrites.append((unwrapOutboundIn(data), promise))
        case .encrypt: encryptAndWrite(unwrapOutboundIn(data), promise: promise, context: context)
        case .fail: promise?.fail(Self.closedError("write after close"))
        }
    }

    public func flush(context: ChannelHandlerContext) {
        // Before the handshake completes, buffered writes are flushed when it does.
        if stateMachine.state != .idle, stateMachine.state != .handshaking {
            context.flush()
        }
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode != .input else {
            context.close(mode: mode, promise: promise)
            return
        }
        switch stateMachine.close() {
        case .failHandshakeThenClose:
            finishHandshake(.failure(Self.closedError("closed before the handshake completed")))
            context.close(mode: mode, promise: promise)
        case .sendCloseNotifyThenClose:
            engine?.shutdown()
            sendOutputThenClose(context: context, mode: mode, promise: promise)
        case .closeOnly:
            context.close(mode: mode, promise: promise)
        }
    }

    // MARK: - Private

    private func start(context: ChannelHandlerContext) {
        guard stateMachine.channelActive() == .startHandshake else { return }
        let timeout = tlsContext.configuration.handshakeTimeout
        handshakeTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            guard self.stateMachine.isHandshaking else { return }
            self.fail(TLSError(.handshakeTimeout, operation: "handshake",
                               reason: "not completed within \(timeout.nanoseconds / 1_000_000) ms"),
                      context: context)
        }
        advanceHandshake(context: context)
        context.read()
    }

    private func advanceHandshake(context: ChannelHandlerContext) {
        guard let engine else { return }
        let peer: TLSPeerIdentity
        switch engine.handshake() {
        case .wantRead:
            flushOutput(context: context)
            return
        case .failed(let error):
            fail(error, context: context)
            return
        case .complete:
            do {
                peer = try engine.verifiedPeer()
            } catch {
                fail(error, context: context)
                return
            }
        }
        guard stateMachine.handshakeSucceeded() == .reportAndFlushBufferedWrites else { return }
        peerIdentity = peer
        // The last handshake message and the buffered writes leave in one flush (one TCP segment when small).
        if let ciphertext = engine.drainOutput(allocator: context.channel.allocator) {
            context.write(wrapOutboundOut(ciphertext), promise: nil)
        }
        while stateMachine.write() == .encrypt, let (data, promise) = bufferedWrites.popFirst() {
            encryptAndWrite(data, promise: promise, context: context)
        }
        context.flush()
        finishHandshake(.success(peer))
        context.fireUserInboundEventTriggered(TLSHandshakeCompleted(peer: peer, version: engine.negotiatedVersion))
        // Application data may have arrived together with the last handshake message.
        if stateMachine.channelRead() == .readApplicationData {
            readApplicationData(context: context)
        }
    }

    private func readApplicationData(context: ChannelHandlerContext) {
        guard let engine else { return }
        var plaintext = context.channel.allocator.buffer(capacity: TLSEngine.readChunkSize)
        let result = engine.read(into: &plaintext)
        if plaintext.readableBytes > 0 {
            readPending = false
            deliveredPlaintext = true
            context.fireChannelRead(wrapInboundOut(plaintext))
        }
        switch result {
        case .wantRead:
            flushOutput(context: context)
        case .closeNotify:
            switch stateMachine.closeNotifyReceived() {
            case .replyThenClose:
                engine.shutdown()
                sendOutputThenClose(context: context, mode: .all, promise: nil)
            case .closeOnly:
                context.close(promise: nil)
            }
        case .failed(let error):
            fail(error, context: context)
        }
    }

    private func encryptAndWrite(_ data: ByteBuffer, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        guard let engine else {
            promise?.fail(Self.closedError("write after close"))
            return
        }
        do {
            try engine.write(data)
        } catch {
            promise?.fail(error)
            fail(error, context: context)
            return
        }
        if let ciphertext = engine.drainOutput(allocator: context.channel.allocator) {
            context.write(wrapOutboundOut(ciphertext), promise: promise)
        } else {
            promise?.succeed(())
        }
    }

    /// Writes and flushes whatever ciphertext OpenSSL produced (handshake messages, alerts, close_notify).
    private func flushOutput(context: ChannelHandlerContext) {
        guard let ciphertext = engine?.drainOutput(allocator: context.channel.allocator) else { return }
        context.writeAndFlush(wrapOutboundOut(ciphertext), promise: nil)
    }

    /// Sends pending ciphertext (close_notify or an alert), and closes once it is written, so the peer learns why.
    private func sendOutputThenClose(
        context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?
    ) {
        guard let ciphertext = engine?.drainOutput(allocator: context.channel.allocator) else {
            context.close(mode: mode, promise: promise)
            return
        }
        context.writeAndFlush(wrapOutboundOut(ciphertext)).assumeIsolated().whenComplete { _ in
            context.close(mode: mode, promise: promise)
        }
    }

    private func fail(_ error: TLSError, context: ChannelHandlerContext) {
        switch stateMachine.failed() {
        case .ignore:
            return
        case .failHandshakeThenClose:
            finishHandshake(.failure(error))
        case .reportThenClose:
            // Writes still buffered (a failure while flushing them after the handshake) fail with the cause.
            failBufferedWrites(error)
        }
        context.fireErrorCaught(error)
        sendOutputThenClose(context: context, mode: .all, promise: nil)
    }

    /// Completes the handshake promise once and fails buffered writes; cancels the timeout.
    private func finishHandshake(_ result: Result<TLSPeerIdentity, TLSError>) {
        handshakeTimeout?.cancel()
        handshakeTimeout = nil
        if case .failure(let error) = result {
            failBufferedWrites(error)
        }
        guard let promise = handshakePromise else { return }
        handshakePromise = nil
        promise.completeWith(result.mapError { $0 as any Error })
    }

    private func failBufferedWrites(_ error: TLSError) {
        while let (_, promise) = bufferedWrites.popFirst() {
            promise?.fail(error)
        }
    }

    private static func closedError(_ reason: String) -> TLSError {
        TLSError(.channelClosed, operation: "write", reason: reason)
    }
}

@available(*, unavailable)
extension OpenSSLHandler: Sendable {}
