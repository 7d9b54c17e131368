import BenchJSON
import Foundation

/// One HTTP request a check sends to the trainer: the seed's exact paths and bodies, with the timeout of the
/// check's settings.
public struct CheckRequest: Sendable, Equatable {
    /// `GET` or `POST`.
    public var method: String
    public var path: String
    /// JSON body of a `POST`.
    public var body: Data?
    public var timeoutSeconds: Double

    public init(method: String, path: String, body: Data? = nil, timeoutSeconds: Double) {
        self.method = method
        self.path = path
        self.body = body
        self.timeoutSeconds = timeoutSeconds
    }

    /// `GET /health`.
    public static func health(timeoutSeconds: Double) -> CheckRequest {
        CheckRequest(method: "GET", path: "/health", timeoutSeconds: timeoutSeconds)
    }

    /// `POST /api/test-data-processing {"test_data_processing": true, "format": "parquet", "size": "small"}`.
    public static func dataProcessing(_ settings: DataProcessingThresholds) -> CheckRequest {
        post("/api/test-data-processing", settings.timeoutSeconds, [
            "test_data_processing": .bool(true), "format": .string(settings.format), "size": .string(settings.size),
        ])
    }

    /// `POST /api/test-parallel {"test_parallel": true, "request_id": id}`.
    public static func parallel(requestID: Int, _ settings: ParallelProcessingThresholds) -> CheckRequest {
        post("/api/test-parallel", settings.timeoutSeconds, [
            "test_parallel": .bool(true), "request_id": .number(Double(requestID)),
        ])
    }

    /// `POST /train` with the seed's benchmark job.
    public static func benchmark(_ settings: PerformanceBenchmarkThresholds) -> CheckRequest {
        post("/train", settings.timeoutSeconds, [
            "benchmark": .bool(true), "iterations": .number(Double(settings.iterations)),
            "trials": .number(Double(settings.trials)), "country": .string(settings.country),
            "expected_duration_minutes": .number(settings.expectedDurationMinutes),
        ])
    }

    /// `POST /train` with the seed's invalid payload: an unknown field, `iterations: -1`, `country: null`.
    public static func invalidTrain(_ settings: ErrorHandlingThresholds) -> CheckRequest {
        post("/train", settings.timeoutSeconds, [
            "invalid_field": .string("test"), "iterations": .number(-1), "country": .null,
        ])
    }

    /// `POST /api/load-test {"load_test": true, "request_id": id, "small_job": true}`.
    public static func load(requestID: Int, _ settings: LoadHandlingThresholds) -> CheckRequest {
        post("/api/load-test", settings.timeoutSeconds, [
            "load_test": .bool(true), "request_id": .number(Double(requestID)), "small_job": .bool(true),
        ])
    }

    private static func post(_ path: String, _ timeout: Double, _ body: [String: JSONValue]) -> CheckRequest {
        CheckRequest(method: "POST", path: path, body: JSONValue.object(body).checkData(), timeoutSeconds: timeout)
    }
}

/// What one ``CheckRequest`` got, timed by the sending host on a monotonic clock.
public struct CheckExchange: Sendable, Equatable {
    public var request: CheckRequest
    /// HTTP status; nil when no answer arrived.
    public var status: Int?
    /// Response body; nil when no answer arrived.
    public var body: Data?
    /// Milliseconds from sending to the last byte (or to giving up).
    public var durationMs: Double
    /// Why no answer arrived (connection refused, timeout...); nil when one did.
    public var transportError: String?
    /// Milliseconds from the start of the check to sending this request.
    public var startOffsetMs: Double

    public init(
        request: CheckRequest, status: Int?, body: Data?, durationMs: Double, transportError: String?,
        startOffsetMs: Double = 0
    ) {
        self.request = request
        self.status = status
        self.body = body
        self.durationMs = durationMs
        self.transportError = transportError
        self.startOffsetMs = startOffsetMs
    }

    /// `GET /health`, for reasons.
    public var label: String { "\(request.method) \(request.path)" }

    /// The answer as a JSON object, nil if it is not one.
    public var jsonObject: [String: JSONValue]? { JSONValue.checkObject(from: body) }

    /// The `error` text of a JSON error body, shortened, or the start of a non-JSON body.
    public var errorText: String? {
        if let object = jsonObject {
            return object["error"]?.stringValue.map { String($0.prefix(200)) }
        }
        guard let body, !body.isEmpty else { return nil }
        return "body: " + Self.preview(body)
    }

    /// Up to 80 characters of a body, control characters replaced, for reasons.
    static func preview(_ body: Data) -> String {
        let text = String(decoding: body.prefix(80), as: UTF8.self)
        let cleaned = String(
            text.unicodeScalars.map { $0.properties.generalCategory == .control ? "." : Character($0) })
        return "'" + cleaned + (body.count > 80 ? "...'" : "'")
    }
}
