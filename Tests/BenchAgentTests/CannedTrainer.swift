import NIOCore
import NIOHTTP1
import NIOPosix

/// A trainer stand-in on 127.0.0.1 (port 0) that answers every request with one fixed status and body, for the
/// answers the reference trainer never gives (`200 {"status":"ok"}`, an empty 200).
final class CannedTrainer: Sendable {
    let port: Int
    private let channel: any Channel

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    var url: String { "http://127.0.0.1:\(port)" }

    static func start(status: HTTPResponseStatus, body: String) async throws -> CannedTrainer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(CannedAnswerHandler(status: status, body: body))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw CannedTrainerError()
        }
        return CannedTrainer(port: port, channel: channel)
    }

    func stop() async {
        try? await channel.close()
    }

    /// Runs `body` with a canned trainer, then stops it.
    static func with<T: Sendable>(
        status: HTTPResponseStatus, body: String, _ run: @Sendable (String) async throws -> T
    ) async throws -> T {
        let trainer = try await start(status: status, body: body)
        do {
            let result = try await run(trainer.url)
            await trainer.stop()
            return result
        } catch {
            await trainer.stop()
            throw error
        }
    }
}

struct CannedTrainerError: Error {}

private final class CannedAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let status: HTTPResponseStatus
    let body: String

    init(status: HTTPResponseStatus, body: String) {
        self.status = status
        self.body = body
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        var head = HTTPResponseHead(version: .http1_1, status: status)
        head.headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        head.headers.add(name: "Content-Type", value: "application/json")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))),
                          promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

@available(*, unavailable)
extension CannedAnswerHandler: Sendable {}
