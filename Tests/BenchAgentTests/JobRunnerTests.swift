import AsyncHTTPClient
import BenchAgent
import BenchCore
import BenchTrainer
import Foundation
import Logging
import Testing
import TestSupport
import TestTiming

/// Runs `body` against a reference trainer on 127.0.0.1 (port 0) with the given faults, then stops it.
func withTrainer<T: Sendable>(
    faults: TrainerFaults = .none, instant: Bool = false,
    _ body: @Sendable (String) async throws -> T
) async throws -> T {
    var configuration = TrainerConfiguration()
    configuration.workScale = 0.02
    // 2,000 rows for the data-processing check instead of the seed's 20,000: the check's verdict on a healthy
    // trainer, not this machine's speed, is what the tests assert (20,000 rows took 13-15 s under ASan on a loaded
    // machine against the seed's 10 s, and about 2 s in a plain debug build).
    configuration.dataScale = 0.1
    configuration.faults = faults
    configuration.instant = instant
    var logger = Logger(label: "test.trainer")
    logger.logLevel = .critical
    let trainer = ReferenceTrainer(configuration: configuration, logger: logger)
    let port = try await trainer.start()
    do {
        let result = try await body("http://127.0.0.1:\(port)")
        await trainer.stop()
        return result
    } catch {
        await trainer.stop()
        throw error
    }
}

/// The default `timeoutSeconds` (the plan's per-job timeout) is 120 s scaled by `TestTiming`: the tests that keep it
/// expect an answer, and the bound only has to outlast a starved test process. Under ASan on a loaded machine a small
/// fit once took 37.8 s to come back; in a full TSan run (scale 10) every test of the process ran ~100x slower than
/// alone, the good-answer test took 290 s, and the garbage test's second request reached a 300 s deadline with the
/// trainer's answer not yet read (docs/reliability.md, fourth pass).
func withRunner<T: Sendable>(
    url: String, timeoutSeconds: Double = TestTiming.seconds(120), successRule: SuccessRule? = nil,
    _ body: @Sendable (JobRunner) async throws -> T
) async throws -> T {
    let http = TrainerClient.makeHTTPClient(connections: 1)  // the client collect and agents use
    var plan = Plan()
    plan.timeoutSeconds = timeoutSeconds
    plan.successRule = successRule
    let runner = JobRunner(client: TrainerClient(baseURL: url, http: http), plan: plan, agent: "test-agent")
    return try await shuttingDown(http) { try await body(runner) }
}

@Suite("Job runner against a real trainer")
struct JobRunnerTests {
    static let job = Plan().expandJobs()[0]

    @Test("a good answer is a successful measurement with the seed's costs and the trainer's figures")
    func success() async throws {
        let metric = try await withTrainer { url in
            try await withRunner(url: url) { try await $0.run(Self.job, attempt: 2) }
        }
        #expect(metric.success)
        #expect(metric.httpStatus == 200)
        #expect(metric.attempt == 2)
        #expect(metric.agent == "test-agent")
        #expect(metric.durationMs > 0)
        #expect(abs(metric.durationMinutes - metric.durationMs / 60_000) < 1e-12)
        #expect(metric.trainerFigures["cpu_seconds"] != nil)
        #expect(metric.trainerFigures["elapsed_seconds"] != nil)
        let model = CostModel()
        #expect(metric.cpuHours == model.cpuHours(iterations: 50, trials: 2, durationMinutes: metric.durationMinutes))
    }

    @Test("a trainer error is a failed measurement with the status")
    func httpError() async throws {
        var faults = TrainerFaults()
        faults.trainFailureEveryNth = 1
        let metric = try await withTrainer(faults: faults) { url in
            try await withRunner(url: url) { try await $0.run(Self.job, attempt: 1) }
        }
        #expect(!metric.success)
        #expect(metric.httpStatus == 500)
        #expect(metric.errorMessage?.hasPrefix("HTTP 500") == true)
        #expect(metric.durationMinutes == 0 && metric.costEstimate == 0)
    }

    @Test("a trainer that hangs past the timeout is a failed measurement, not a hang")
    func hang() async throws {
        var faults = TrainerFaults()
        faults.trainHang = true
        let metric = try await withTrainer(faults: faults) { url in
            try await withRunner(url: url, timeoutSeconds: 0.3) { try await $0.run(Self.job, attempt: 1) }
        }
        #expect(!metric.success)
        #expect(metric.httpStatus == nil)
        #expect(metric.errorMessage == "timeout after 0.3 s")
        #expect(metric.durationMs >= 300)
    }

    @Test("a 200 with garbage is a success by the seed's rule, an unreadable body under status_success")
    func garbage() async throws {
        var faults = TrainerFaults()
        faults.trainGarbageBody = true
        let (seedRule, strict) = try await withTrainer(faults: faults) { url in
            (try await withRunner(url: url) { try await $0.run(Self.job, attempt: 1) },
             try await withRunner(url: url, successRule: .statusSuccess) { try await $0.run(Self.job, attempt: 1) })
        }
        #expect(seedRule.success)
        #expect(seedRule.trainerFigures.isEmpty)
        #expect(!strict.success)
        #expect(strict.httpStatus == 200)
        #expect(strict.errorMessage?.hasPrefix("unreadable body") == true)
    }

    @Test("nobody listening is not a measurement: the runner throws that the trainer cannot be reached")
    func refused() async throws {
        let closed = try ClosedLoopbackPort()
        defer { closed.release() }
        let port = closed.port
        let url = "http://127.0.0.1:\(port)"
        let error = await #expect(throws: TrainerUnreachableError.self) {
            try await withRunner(url: url) { try await $0.run(Self.job, attempt: 1) }
        }
        #expect(error?.url == url)
        #expect(error?.reason == "connection refused")
    }

    @Test("a 200 whose JSON reports a non-success status fails under status_success only")
    func lyingStatus() {
        let answer = TrainerAnswer(status: 200, body: Data(#"{"status":"error","error":"solver diverged"}"#.utf8),
                                   durationMs: 12, transportError: nil)
        let strict = JobRunner.metric(for: answer, job: Self.job, attempt: 1, agent: "a", startedAt: Date(),
                                      costModel: CostModel(), successRule: .statusSuccess)
        #expect(!strict.success)
        #expect(strict.errorMessage == "trainer reported status 'error' with HTTP 200")
        let seedRule = JobRunner.metric(for: answer, job: Self.job, attempt: 1, agent: "a", startedAt: Date(),
                                        costModel: CostModel())
        #expect(seedRule.success)
    }

    @Test("the trainer's HTTP client makes no tracing span per request")
    func noSpans() async throws {
        let http = TrainerClient.makeHTTPClient(connections: 2)
        try await shuttingDown(http) { #expect(http.tracer == nil) }
    }
}

/// A local collection's settings for the tests: the trainer connect timeout is the default 5 s scaled by
/// `TestTiming`, as the other test-side bounds (under TSan the whole suite shares two event-loop threads, and a
/// loopback connect once took longer than 5 s).
func testCollectionConfiguration(
    trainerURL: String, databasePath: String, plan: Plan, concurrency: Int = 1
) -> LocalCollectionConfiguration {
    var configuration = LocalCollectionConfiguration(
        trainerURL: trainerURL, databasePath: databasePath, plan: plan, concurrency: concurrency)
    let seconds = TestTiming.seconds(Double(TrainerClient.defaultConnectTimeoutSeconds))
    configuration.trainerConnectTimeoutSeconds = Int(seconds.rounded(.up))
    return configuration
}
