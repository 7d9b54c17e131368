import BenchJSON
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import BenchTrainer
import TestTiming

/// A response from the trainer under test: status, raw body and the body decoded as JSON (nil if it is not JSON).
struct HTTPAnswer: Sendable {
    var status: Int
    var body: String
    var json: JSONValue?

    subscript(key: String) -> JSONValue? { json?[key] }
}

/// A reference trainer started on 127.0.0.1 port 0 for one test, with a small HTTP client.
struct TrainerHarness: Sendable {
    let trainer: ReferenceTrainer
    let port: Int

    /// Starts a trainer, runs `body` against it, and stops it again (also when `body` throws).
    static func with<T: Sendable>(
        _ configure: (inout TrainerConfiguration) -> Void = { _ in },
        _ body: (TrainerHarness) async throws -> T
    ) async throws -> T {
        var configuration = TrainerConfiguration(host: "127.0.0.1", port: 0, workScale: 0.01)
        configuration.bootstrapResamples = 4
        configure(&configuration)
        var logger = Logger(label: "test.trainer")
        logger.logLevel = .warning
        let trainer = ReferenceTrainer(configuration: configuration, logger: logger)
        let port = try await trainer.start()
        let harness = TrainerHarness(trainer: trainer, port: port)
        do {
            let value = try await body(harness)
            await trainer.stop()
            return value
        } catch {
            await trainer.stop()
            throw error
        }
    }

    /// Sends one request on a fresh connection. If no answer arrives within `timeout` the connection is closed
    /// and `ClientTimeout` is thrown (TestClient's own read timeout cannot end a request the server never
    /// answers: its wait on the response is not cancellable, closing the channel is what fails it).
    ///
    /// TestClient gives up connecting after a fixed 5 s, which `TestTiming` cannot scale: under a sanitizer on a
    /// loaded machine its event loop once took longer than that to see a loopback connect complete (two failures in
    /// a TSan run of 2026-12-07, while a release build ran beside it). A connect that timed out sent nothing, so it
    /// is tried again on a new connection until `timeout` (scaled) has passed.
    func send(
        _ method: HTTPRequest.Method, _ path: String, body: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> HTTPAnswer {
        let timeout = TestTiming.scaled(timeout)
        let deadline = ContinuousClock.now + timeout
        let headers: HTTPFields = body == nil ? [:] : [.contentType: "application/json"]
        let request = TestClient.Request(
            path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        var outcome = await sendOnce(request, timeout: timeout)
        while Self.connectTimedOut(outcome), ContinuousClock.now < deadline {
            outcome = await sendOnce(request, timeout: deadline - ContinuousClock.now)
        }
        let response = try outcome.get()
        let text = response.body.map { String(buffer: $0) } ?? ""
        return HTTPAnswer(
            status: Int(response.status.code),
            body: text,
            json: try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        )
    }

    /// Whether `outcome` is TestClient giving up on connecting.
    private static func connectTimedOut(_ outcome: Result<TestClient.Response, any Error>) -> Bool {
        guard case .failure(let error) = outcome, case .connectTimeout? = error as? ChannelError else { return false }
        return true
    }

    /// One connection, one request, at most `timeout` (see `send`).
    private func sendOnce(_ request: TestClient.Request, timeout: Duration)
        async -> Result<TestClient.Response, any Error>
    {
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(3_600)))
        client.connect()
        let outcome: Result<TestClient.Response, any Error> = await withTaskGroup(
            of: Result<TestClient.Response, any Error>?.self
        ) { group in
            group.addTask {
                do { return .success(try await client.execute(request)) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil { try? await client.close(mode: .all) }
            group.cancelAll()
            return first ?? .failure(ClientTimeout(path: request.head.path ?? "", timeout: timeout))
        }
        try? await client.shutdown()
        return outcome
    }

    func post(_ path: String, _ body: String, timeout: Duration = .seconds(60)) async throws -> HTTPAnswer {
        try await send(.post, path, body: body, timeout: timeout)
    }

    func health() async throws -> HTTPAnswer {
        try await send(.get, "/health")
    }
}

/// The trainer did not answer within the client's timeout.
struct ClientTimeout: Error, Equatable {
    var path: String
    var timeout: Duration
}

extension JSONValue {
    var double: Double? { doubleValue }

    var int: Int? { intValue }

    var string: String? { stringValue }

    var bool: Bool? { boolValue }
}

/// The seed's `run_single_baseline_job` payload.
func seedPayload(jobID: String = "baseline-1-1-fr", country: String = "fr", iterations: Int, trials: Int) -> String {
    """
    {"job_id": "\(jobID)", "country": "\(country)", "iterations": \(iterations), "trials": \(trials),
     "revision": "baseline", "baseline_test": true,
     "paid_media_spends": ["GA_SUPPLY_COST", "GA_DEMAND_COST", "META_DEMAND_COST"],
     "paid_media_vars": ["GA_SUPPLY_COST", "GA_DEMAND_COST", "META_DEMAND_COST"],
     "context_vars": ["IS_WEEKEND"], "factor_vars": ["IS_WEEKEND"], "organic_vars": ["ORGANIC_TRAFFIC"]}
    """
}
