import BenchTLS
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP side of `coordinator --http` and `agent --http`: serves a router on `HOST:PORT`, in plain HTTP on a
/// loopback address or with mutual TLS (``Security/mutualTLS(_:)``) where anyone else could connect.
///
///     try await HTTPEndpoint.run(router: router, host: "0.0.0.0", port: 9443,
///                                security: .mutualTLS { contexts.current }, serverName: "mmmbench-coordinator",
///                                logger: logger) { port in print("listening on \(port)") }
public enum HTTPEndpoint {
    /// How connections are secured.
    public enum Security: Sendable {
        /// Plain HTTP: only for loopback addresses.
        case plain
        /// TLS with a server context (role `.server`) that requires a client certificate of its CA.
        case mutualTLS(@Sendable () -> TLSContext)

        /// `https` or `http`.
        public var scheme: String {
            if case .mutualTLS = self { return "https" }
            return "http"
        }
    }

    /// Whether `host` is a loopback address (`127.*`, `::1`, `localhost`), the only ones served without TLS.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Serves `router` until the task is cancelled; `onListening` gets the bound port (the real one with port 0).
    /// Hummingbird's own log lines are dropped unless `logger` is at `debug` or below.
    ///
    /// Cancelling the task stops the server gracefully: the listener closes and every connection it accepted is
    /// served or closed, then a request still running a second later is cancelled. Cancelling Hummingbird's own
    /// task instead trapped when a connection had been accepted but not yet handed over ("Deinited NIOAsyncWriter
    /// without calling finish()", swift-nio issue 3481), which a scrape arriving as the process exits can do.
    public static func run(
        router: Router<BasicRequestContext>, host: String, port: Int, security: Security, serverName: String,
        logger: Logger, onListening: @escaping @Sendable (Int) -> Void
    ) async throws {
        var quiet = logger
        if logger.logLevel > .debug { quiet.logLevel = .critical }
        let server: HTTPServerBuilder
        switch security {
        case .plain:
            server = .http1()
        case .mutualTLS(let context):
            server = HTTPServerBuilder { responder in
                MutualTLSHTTPChannel(base: HTTP1Channel(responder: responder), tlsContext: context)
            }
        }
        let app = Application(
            router: router, server: server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: serverName),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: quiet)
        var configuration = ServiceGroupConfiguration(services: [app], logger: quiet)
        configuration.maximumGracefulShutdownDuration = .seconds(1)
        let group = ServiceGroup(configuration: configuration)
        // Not a child task: the caller's cancellation reaches the server as a graceful shutdown, not as a
        // cancellation of Hummingbird's task.
        let serving = Task { try await group.run() }
        try await withTaskCancellationHandler {
            try await serving.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}

extension HTTPEndpoint {
    /// `Content-Type` of the Prometheus text exposition format.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Serves only `GET /metrics`, answering with `render()` in the Prometheus text format (`agent --http`).
    public static func runMetrics(
        host: String, port: Int, security: Security, serverName: String, logger: Logger,
        render: @escaping @Sendable () -> String, onListening: @escaping @Sendable (Int) -> Void
    ) async throws {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: prometheusContentType],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: render())))
        }
        try await run(router: router, host: host, port: port, security: security, serverName: serverName,
                      logger: logger, onListening: onListening)
    }
}
