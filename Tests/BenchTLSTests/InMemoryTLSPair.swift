import NIOCore
import NIOEmbedded
import Testing

@testable import BenchTLS

/// Records what reaches the end of a TLS pipeline: plaintext, the handshake event, errors, inactivity.
final class PipelineRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    var received = ByteBuffer()
    var readCount = 0
    var handshakes: [TLSHandshakeCompleted] = []
    var errors: [TLSError] = []
    var otherErrors: [any Error] = []
    var becameInactive = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        readCount += 1
        received.writeBuffer(&buffer)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSHandshakeCompleted {
            handshakes.append(event)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? TLSError {
            errors.append(error)
        } else {
            otherErrors.append(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        becameInactive = true
        context.fireChannelInactive()
    }

    /// Removes and returns the plaintext received so far.
    func takeReceived() -> [UInt8] {
        let bytes = received.readBytes(length: received.readableBytes) ?? []
        received.clear()
        return bytes
    }
}

/// A TLS client and server, each an `EmbeddedChannel`, connected by ``interact(maximumChunk:)`` moving bytes.
final class InMemoryTLSPair {
    let client = EmbeddedChannel()
    let server = EmbeddedChannel()
    let clientHandler: OpenSSLHandler
    let serverHandler: OpenSSLHandler
    let clientRecorder = PipelineRecorder()
    let serverRecorder = PipelineRecorder()

    init(clientContext: TLSContext, serverContext: TLSContext, serverHostname: String? = "localhost") throws {
        clientHandler = OpenSSLHandler(context: clientContext, serverHostname: serverHostname)
        serverHandler = OpenSSLHandler(context: serverContext)
        try client.pipeline.syncOperations.addHandlers([clientHandler, clientRecorder])
        try server.pipeline.syncOperations.addHandlers([serverHandler, serverRecorder])
    }

    /// Closes both channels: an open `EmbeddedChannel` and its pipeline hold each other, so without this every pair
    /// (its handlers, their OpenSSL objects and buffers) leaked, and LeakSanitizer reported it when the test process
    /// exited (`scripts/nightly`'s asan part, 2026-12-06).
    deinit {
        _ = try? client.finish(acceptAlreadyClosed: true)
        _ = try? server.finish(acceptAlreadyClosed: true)
    }

    /// Activates both channels (the client sends its ClientHello).
    func connect() throws {
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
        try server.connect(to: address).wait()
        try client.connect(to: address).wait()
    }

    /// Moves ciphertext between the channels until neither has anything left to send.
    /// - Parameter maximumChunk: deliver at most this many bytes per `channelRead` (1 = byte by byte).
    func interact(maximumChunk: Int = .max) throws {
        // Bounded: a TLS exchange that has not settled after this many rounds is a bug.
        for _ in 0..<10_000 {
            let movedFromClient = try move(from: client, to: server, maximumChunk: maximumChunk)
            let movedFromServer = try move(from: server, to: client, maximumChunk: maximumChunk)
            if !movedFromClient && !movedFromServer { return }
        }
        Issue.record("in-memory TLS exchange did not settle")
    }

    /// Bytes the channel has written to the network and not yet delivered.
    private func move(from source: EmbeddedChannel, to destination: EmbeddedChannel, maximumChunk: Int) throws
        -> Bool
    {
        var moved = false
        while var buffer = try source.readOutbound(as: ByteBuffer.self) {
            moved = true
            while buffer.readableBytes > 0 {
                guard let chunk = buffer.readSlice(length: min(maximumChunk, buffer.readableBytes)) else { break }
                guard destination.isActive else { break }
                try destination.writeInbound(chunk)
            }
        }
        return moved
    }

    /// Writes and flushes plaintext on a channel.
    func send(_ text: String, on channel: EmbeddedChannel) {
        channel.writeAndFlush(ByteBuffer(string: text), promise: nil)
    }
}

extension EventLoopFuture {
    /// The result if the future has already completed; for futures of an `EmbeddedEventLoop`, on its thread.
    func completedResult() -> Result<Value, any Error>? {
        let box = ResultBox<Value>()
        assumeIsolated().whenComplete { box.result = $0 }
        return box.result
    }
}

/// Holds a future's result for ``EventLoopFuture/completedResult()``.
final class ResultBox<Value> {
    var result: Result<Value, any Error>?
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }

    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
