import BenchObservability
import BenchStore
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// `mmmbench coordinator --http HOST:PORT`: the live status, in plain HTTP on a loopback address and with mutual
/// TLS (the coordinator's certificate; clients must present a certificate of the deployment's CA) elsewhere or with
/// `--http-tls` (``HTTPEndpoint``).
///
///     GET /         StatusPage (reloads itself)
///     GET /status   StatusDocument as JSON
///     GET /metrics  StatusMetrics (Prometheus text format 0.0.4)
///
/// Figures come from the collection database (a read snapshot per request, as `mmmbench status` reads it), the
/// coordinator's latest progress figures (agents connected, elapsed time, ETA) and the figures it feeds at the
/// event into ``metrics``.
public final class StatusServer: Sendable {
    public let databasePath: String
    /// The `/metrics` figures; give the same object to the coordinator (``CoordinatorConfiguration/metrics``).
    public let metrics: StatusMetrics
    private let progress = NIOLockedValueBox<CoordinatorProgress?>(nil)
    private let store = NIOLockedValueBox<BenchStore?>(nil)

    public init(databasePath: String, metrics: StatusMetrics = StatusMetrics()) {
        self.databasePath = databasePath
        self.metrics = metrics
    }

    /// Records the coordinator's latest progress figures (call from its `onProgress`).
    public func update(_ figures: CoordinatorProgress) {
        progress.withLockedValue { $0 = figures }
    }

    /// Serves until the task is cancelled; `onListening` gets the bound port.
    public func run(host: String, port: Int, security: HTTPEndpoint.Security = .plain, logger: Logger,
                    onListening: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router()
        router.get("/") { _, _ in try self.response(.html) }
        router.get("/status") { _, _ in try self.response(.json) }
        router.get("/metrics") { _, _ in try self.response(.metrics) }
        try await HTTPEndpoint.run(router: router, host: host, port: port, security: security,
                                   serverName: "mmmbench-coordinator", logger: logger, onListening: onListening)
    }

    enum Kind { case html, json, metrics }

    private func openStore() throws -> BenchStore? {
        try store.withLockedValue { store in
            if let store { return store }
            guard FileManager.default.fileExists(atPath: databasePath) else { return nil }
            store = try BenchStore(path: databasePath)
            return store
        }
    }

    private func response(_ kind: Kind) throws -> Response {
        guard let store = try openStore(), let collection = try store.currentCollection() else {
            return Self.text(.serviceUnavailable, "no collection yet\n", type: "text/plain; charset=utf-8")
        }
        let latest = progress.withLockedValue { $0 }
        switch kind {
        case .metrics:
            let text = try metrics.render(collectionID: collection.id, store: store,
                                          agentsConnected: latest?.agentsConnected)
            return Self.text(.ok, text, type: "text/plain; version=0.0.4; charset=utf-8")
        case .json, .html:
            let figures = try store.liveFigures(collectionID: collection.id)
            let document = StatusDocument(collectionID: collection.id, figures: figures, progress: latest, now: Date())
            return kind == .json
                ? Self.text(.ok, document.json(), type: "application/json")
                : Self.text(.ok, StatusPage.render(document), type: "text/html; charset=utf-8")
        }
    }

    private static func text(_ status: HTTPResponse.Status, _ text: String, type: String) -> Response {
        Response(status: status, headers: [.contentType: type],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
