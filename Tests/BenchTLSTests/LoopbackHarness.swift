import Foundation
import NIOCore
import NIOPosix
import Testing
import TestTiming

@testable import BenchTLS

/// Thrown when something a test waits for does not happen within its deadline.
struct DeadlineExceeded: Error, CustomStringConvertible {
    let what: String
    var description: String { "deadline exceeded waiting for \(what)" }
}

/// Runs `body`, failing with ``DeadlineExceeded`` if it takes longer than `seconds` (scaled by `TestTiming`).
func withDeadline<T: Sendable>(
    _ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let seconds = TestTiming.seconds(seconds)
    return try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw DeadlineExceeded(what: what)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DeadlineExceeded(what: what) }
        return first
    }
}

/// Echoes decrypted bytes back to the peer; with `closeAfterFirstLine`, closes (close_notify) after echoing
/// a line, so a peer like `openssl s_client -quiet` exits.
final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let closeAfterFirstLine: Bool

    init(closeAfterFirstLine: Bool = false) {
        self.closeAfterFirstLine = closeAfterFirstLine
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let endsLine = unwrapInboundIn(data).readableBytesView.contains(UInt8(ascii: "\n"))
        context.writeAndFlush(data, promise: nil)
        if closeAfterFirstLine && endsLine {
            context.close(promise: nil)
        }
    }
}

/// A TLS echo server on 127.0.0.1, port 0, reporting each connection's handshake outcome.
struct LoopbackServer {
    let channel: any Channel
    let handshakes: AsyncStream<Result<TLSPeerIdentity, TLSError>>
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start(context: TLSContext, closeAfterFirstLine: Bool = false) async throws -> LoopbackServer {
        let (stream, continuation) = AsyncStream.makeStream(of: Result<TLSPeerIdentity, TLSError>.self)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = OpenSSLHandler(context: context)
                    try channel.pipeline.syncOperations.addHandlers([
                        tls, EchoHandler(closeAfterFirstLine: closeAfterFirstLine),
                    ])
                    tls.handshakeCompleted.whenComplete { result in
                        continuation.yield(result.mapError { $0 as? TLSError ?? unexpected($0) })
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return LoopbackServer(channel: channel, handshakes: stream)
    }

    /// The outcome of the next accepted connection's handshake.
    func nextHandshake() async throws -> Result<TLSPeerIdentity, TLSError> {
        let stream = handshakes
        return try await withDeadline(20, "server handshake outcome") {
            for await outcome in stream { return outcome }
            throw DeadlineExceeded(what: "server handshake outcome (stream ended)")
        }
    }

    func stop() async throws {
        try await channel.close()
    }
}

private func unexpected(_ error: any Error) -> TLSError {
    TLSError(.ioFailed, operation: "test", reason: "unexpected non-TLS error: \(error)")
}

/// What a test client saw: the peer, the plaintext received, the first TLS error, other errors.
struct ClientOutcome: Sendable {
    var peer: TLSPeerIdentity?
    var received: [UInt8] = []
    var tlsError: TLSError?
    var otherError: String?
}

/// Collects a client connection's outcome; completes when `expected` bytes arrived or the channel closed.
final class ClientProbe: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let expected: Int
    private let promise: EventLoopPromise<ClientOutcome>
    private var outcome = ClientOutcome()
    private var completed = false

    init(expected: Int, promise: EventLoopPromise<ClientOutcome>) {
        self.expected = expected
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        outcome.received += buffer.readBytes(length: buffer.readableBytes) ?? []
        if outcome.received.count >= expected { complete() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSHandshakeCompleted { outcome.peer = event.peer }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? TLSError {
            if outcome.tlsError == nil { outcome.tlsError = error }
        } else if outcome.otherError == nil {
            outcome.otherError = "\(error)"
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete()
    }

    private func complete() {
        guard !completed else { return }
        completed = true
        promise.succeed(outcome)
    }
}

/// Connects to `port` with `context`, sends `message` right away (buffered until the handshake completes), and
/// waits until the echo arrives or the connection ends.
func runClient(
    context: TLSContext, serverHostname: String? = "localhost", port: Int, message: String = "ping"
) async throws -> ClientOutcome {
    let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
    let promise = eventLoop.makePromise(of: ClientOutcome.self)
    let expected = message.utf8.count
    let channel = try await ClientBootstrap(group: eventLoop)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers([
                    OpenSSLHandler(context: context, serverHostname: serverHostname),
                    ClientProbe(expected: expected, promise: promise),
                ])
            }
        }
        .connect(host: "127.0.0.1", port: port)
        .get()
    channel.writeAndFlush(ByteBuffer(string: message), promise: nil)
    let future = promise.futureResult
    do {
        let outcome = try await withDeadline(20, "client outcome") { try await future.get() }
        try? await channel.close()
        return outcome
    } catch {
        // Closing completes the probe's promise (channelInactive), so nothing is leaked.
        try? await channel.close()
        _ = try? await future.get()
        throw error
    }
}
