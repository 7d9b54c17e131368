import AsyncHTTPClient
import BenchCore
import Foundation
import NIOCore
import NIOFoundationCompat

/// What the trainer answered to one request, timed on a monotonic clock.
public struct TrainerAnswer: Sendable {
    /// HTTP status, nil when no response arrived.
    public var status: Int?
    /// The response body (capped), nil when no response arrived.
    public var body: Data?
    /// Request duration in milliseconds, from sending to the last body byte.
    public var durationMs: Double
    /// Why no usable response arrived (timeout, connection refused...), nil otherwise.
    public var transportError: String?
    /// Set when no connection to the trainer could be opened (`connection refused`, `no such host`, ...): the
    /// request never reached it, so this is not yet a measurement (see ``TrainerClient/unreachableReason()``).
    public var connectFailure: String?

    public init(status: Int?, body: Data?, durationMs: Double, transportError: String?,
                connectFailure: String? = nil) {
        self.status = status
        self.body = body
        self.durationMs = durationMs
        self.transportError = transportError
        self.connectFailure = connectFailure
    }
}

/// The HTTP client of the trainer API (`POST /train` and the optimization checks' endpoints).
public struct TrainerClient: Sendable {
    /// Largest response body read; the trainer answers small JSON documents.
    public static let maxBodyBytes = 8 << 20
    /// The default limit of opening a connection to the trainer.
    public static let defaultConnectTimeoutSeconds = 5

    public let baseURL: String
    let http: HTTPClient
    /// The connect timeout `http` was made with (``makeHTTPClient(connections:connectTimeoutSeconds:)``), for the
    /// message of a connect failure.
    let connectTimeoutSeconds: Int

    /// - Parameter baseURL: e.g. `http://127.0.0.1:8080` (a trailing slash is ignored).
    public init(baseURL: String, http: HTTPClient, connectTimeoutSeconds: Int = defaultConnectTimeoutSeconds) {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
        self.http = http
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    /// An HTTP client suited to trainer calls: up to `connections` requests at once to the trainer, a connect
    /// timeout (5 s by default; request timeouts come from the plan). Shut it down when done.
    public static func makeHTTPClient(
        connections: Int, connectTimeoutSeconds: Int = defaultConnectTimeoutSeconds
    ) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(Int64(max(1, connectTimeoutSeconds)))
        // A connection that cannot be opened fails its request at once with the reason (instead of retrying until
        // the request's deadline and then reporting a timeout): the caller decides what a connect failure means.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, connections)
        // No span per request: nothing bootstraps a tracer, and with the default no-op one the client still parsed
        // each request's URL again for the span's attributes (about 3 % of an agent's CPU end to end).
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Sends a JSON body and waits for the answer, at most `timeoutSeconds`. Never throws for trainer or network
    /// failures (those are measurements); throws only `CancellationError` when the calling task is cancelled.
    public func post(path: String, json body: Data, timeoutSeconds: Double) async throws -> TrainerAnswer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "mmmbench")
        request.body = .bytes(ByteBuffer(data: body))
        return try await send(request, timeoutSeconds: timeoutSeconds)
    }

    /// GET `path` with a timeout, as `post` does.
    public func get(path: String, timeoutSeconds: Double) async throws -> TrainerAnswer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: "mmmbench")
        return try await send(request, timeoutSeconds: timeoutSeconds)
    }

    func send(_ request: HTTPClientRequest, timeoutSeconds: Double) async throws -> TrainerAnswer {
        let clock = ContinuousClock()
        let start = clock.now
        let timeout = TimeAmount.nanoseconds(Int64((timeoutSeconds * 1e9).rounded()))
        func elapsedMs() -> Double {
            let d = clock.now - start
            return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        }
        do {
            let response = try await http.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: Self.maxBodyBytes)
            return TrainerAnswer(status: Int(response.status.code), body: Data(buffer: buffer),
                                 durationMs: elapsedMs(), transportError: nil)
        } catch {
            try Task.checkCancellation()
            let connectTimeout = "\(connectTimeoutSeconds) s"
            if let failure = TrainerConnectFailure.reason(of: error, connectTimeout: connectTimeout) {
                return TrainerAnswer(status: nil, body: nil, durationMs: elapsedMs(),
                                     transportError: "cannot connect to the trainer at \(baseURL): \(failure)",
                                     connectFailure: failure)
            }
            return TrainerAnswer(status: nil, body: nil, durationMs: elapsedMs(),
                                 transportError: Self.describe(error, timeoutSeconds: timeoutSeconds))
        }
    }

    /// How long a `GET /health` reachability check may take.
    public static let healthCheckTimeoutSeconds = 5.0

    /// Checks that the trainer can be reached at all: `GET /health`, where any HTTP answer (even 503 or 404) means
    /// reachable. Returns the connect failure (`cannot connect to the trainer at URL: connection refused`) when no
    /// connection could be opened, nil otherwise (also when the check timed out after connecting: the trainer is
    /// there, just slow). Throws only `CancellationError`.
    public func unreachableReason() async throws -> (text: String, failure: String)? {
        let answer = try await get(path: "/health", timeoutSeconds: Self.healthCheckTimeoutSeconds)
        guard let failure = answer.connectFailure else { return nil }
        return (answer.transportError ?? failure, failure)
    }

    static func describe(_ error: any Error, timeoutSeconds: Double) -> String {
        if let error = error as? HTTPClientError,
           error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return "timeout after \(PythonRounding.format(timeoutSeconds, places: 1)) s"
        }
        if error is NIOTooManyBytesError {
            return "unreadable body: larger than \(maxBodyBytes) bytes"
        }
        return "request failed: \(error)"
    }
}
