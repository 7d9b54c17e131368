import NIOCore
import NIOHTTP1
import NIOPosix

/// The fastest possible trainer, like nginx answering `POST /train` with a fixed 200 (ANCHORS.md): an HTTP/1.1
/// server with keep-alive that reads and discards every request, whatever its method, path or body, and answers
/// each with status 200 and one pre-encoded response (status line, headers and ``body``, encoded once).
///
/// ```swift
/// let server = try await FixedResponseServer.start()   // 127.0.0.1, a free port
/// ...                                                   // POST http://127.0.0.1:\(server.port)/train
/// await server.stop()
/// ```
final class FixedResponseServer: Sendable {
    /// The body of every answer: what the reference trainer answers to a successful instant `/train`
    /// (`TrainResponse(instantFor:)` encoded with sorted keys), byte for byte as `mmmbench trainer --instant` answered
    /// job `baseline-1-1-c000000`. Every job gets the same bytes, as from nginx; the agents take `status` and the
    /// figures from it and do not compare `job_id` or `country`.
    static let body = #"{"candidates_evaluated":0,"country":"c000000","cpu_seconds":0,"elapsed_seconds":0.000587444,"#
        + #""fit_seconds":0,"instant":true,"iterations":1,"job_id":"baseline-1-1-c000000","peak_rss_mb":44.90234375,"#
        + #""queue_seconds":0,"ridge_fits":0,"solver_sweeps":0,"status":"success","trials":1,"weeks":0}"#

    /// The bound port on 127.0.0.1.
    let port: Int
    private let channel: any Channel

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    /// Binds 127.0.0.1 on a free port (on the shared event-loop group, as the reference trainer) and serves.
    static func start() async throws -> FixedResponseServer {
        let keepAlive = Self.response(closing: false)
        let closing = Self.response(closing: true)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
                    try channel.pipeline.syncOperations.addHandler(
                        FixedResponseHandler(keepAlive: keepAlive, closing: closing))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw BenchmarkFailure("fixed-response server: no local port after bind")
        }
        return FixedResponseServer(port: port, channel: channel)
    }

    /// Stops accepting connections; open keep-alive connections end when their clients close them.
    func stop() async {
        try? await channel.close()
    }

    /// The whole answer, pre-encoded: `Connection: close` when the client asked for it.
    private static func response(closing: Bool) -> ByteBuffer {
        let body = Self.body
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + (closing ? "Connection: close\r\n" : "") + "\r\n"
        return ByteBuffer(string: head + body)
    }
}

/// Answers each decoded request, once its end arrived, with the pre-encoded response; body parts are dropped.
/// Writes of one read burst are flushed together (pipelined requests are answered in order).
private final class FixedResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    private let keepAlive: ByteBuffer
    private let closing: ByteBuffer
    private var requestKeepsAlive = true
    private var pendingFlush = false

    init(keepAlive: ByteBuffer, closing: ByteBuffer) {
        self.keepAlive = keepAlive
        self.closing = closing
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestKeepsAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            if requestKeepsAlive {
                context.write(wrapOutboundOut(keepAlive), promise: nil)
                pendingFlush = true
            } else {
                pendingFlush = false
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(closing)).whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if pendingFlush {
            pendingFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
