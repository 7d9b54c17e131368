import AsyncHTTPClient
import BenchCore
import Foundation

/// Runs optimization checks against a trainer: sends each check's requests with ``TrainerClient`` (timed on a
/// monotonic clock), runs the rollback script, and judges what it saw with ``CheckEvaluator``.
///
/// A check never throws for the trainer's or the network's sake: no answer, a timeout or an unreadable body is an
/// `error` outcome with the cause, so a suite always completes. Only cancellation of the calling task is thrown.
///
///     let http = CheckRunner.makeHTTPClient(for: settings)
///     let runner = CheckRunner(client: TrainerClient(baseURL: url, http: http), settings: settings)
///     let outcome = try await runner.run(.loadHandling, share: try CheckShare(index: 0, count: 2))
public struct CheckRunner: Sendable {
    public let client: TrainerClient
    public let settings: CheckSettings
    /// Recorded in outcomes and samples when an agent runs the checks; nil for `mmmbench test-suite`.
    public let agent: String?
    /// Directory a relative rollback script path is resolved from (default: the working directory).
    public let workingDirectory: String

    public init(
        client: TrainerClient, settings: CheckSettings, agent: String? = nil,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.client = client
        self.settings = settings
        self.agent = agent
        self.workingDirectory = workingDirectory
    }

    /// Connections the HTTP client needs so the concurrent checks' requests really are in flight together.
    public static func connectionsNeeded(for settings: CheckSettings) -> Int {
        max(settings.parallelProcessing.requests, settings.loadHandling.requests, 1)
    }

    /// An HTTP client for the checks: enough connections for the concurrent checks, and a connect timeout, which
    /// is how long a check waits on a target that refuses connections (the client retries until then). Shut it
    /// down when done.
    public static func makeHTTPClient(for settings: CheckSettings, connectTimeoutSeconds: Double = 5) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .milliseconds(Int64((max(connectTimeoutSeconds, 0.001) * 1000).rounded()))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connectionsNeeded(for: settings)
        configuration.tracing.tracer = nil  // no span per request (see TrainerClient.makeHTTPClient)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Runs a `check` task: its check (or share of it) with the task's settings.
    public func run(_ task: CheckTask) async throws -> CheckOutcome {
        try await CheckRunner(client: client, settings: task.settings, agent: agent,
                              workingDirectory: workingDirectory).run(task.check, share: task.share)
    }

    /// Runs one check. `share` splits a concurrent check's requests (see ``CheckShare``); other checks ignore it.
    public func run(_ kind: CheckKind, share: CheckShare? = nil) async throws -> CheckOutcome {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let share = kind.isConcurrent ? share : nil
        let verdict = try await verdict(for: kind, share: share ?? .whole, start: start)
        let elapsed = start.duration(to: clock.now)
        return CheckOutcome(
            check: kind, verdict: verdict, startedAt: startedAt, durationSeconds: Self.seconds(elapsed),
            share: share, agent: agent)
    }

    private func verdict(for kind: CheckKind, share: CheckShare, start: ContinuousClock.Instant) async throws
        -> CheckVerdict
    {
        switch kind {
        case .health:
            return CheckEvaluator.health(
                try await exchange(.health(timeoutSeconds: settings.health.timeoutSeconds), start), settings.health)
        case .resourceAllocation:
            let health = try await exchange(.health(timeoutSeconds: settings.resourceAllocation.timeoutSeconds), start)
            return CheckEvaluator.resourceAllocation(health, settings.resourceAllocation)
        case .containerWarming:
            let health = try await exchange(.health(timeoutSeconds: settings.containerWarming.timeoutSeconds), start)
            return CheckEvaluator.containerWarming(health, requiredComponents: settings.requiredWarmComponents)
        case .dataProcessing:
            return CheckEvaluator.dataProcessing(
                try await exchange(.dataProcessing(settings.dataProcessing), start), settings.dataProcessing)
        case .parallelProcessing:
            let ids = share.requestIDs(total: settings.parallelProcessing.requests)
            let samples = try await concurrently(ids, start) { id in
                (CheckRequest.parallel(requestID: id, settings.parallelProcessing), CheckEvaluator.parallelSample)
            }
            return CheckEvaluator.parallelProcessing(samples, requestIDs: ids)
        case .performanceBenchmark:
            return CheckEvaluator.performanceBenchmark(
                try await exchange(.benchmark(settings.performanceBenchmark), start), settings.performanceBenchmark)
        case .errorHandling:
            let invalid = try await exchange(.invalidTrain(settings.errorHandling), start)
            let health: CheckExchange? = invalid.status == nil
                ? nil : try await exchange(.health(timeoutSeconds: settings.errorHandling.healthTimeoutSeconds), start)
            return CheckEvaluator.errorHandling(invalid: invalid, healthAfter: health, settings.errorHandling)
        case .costEfficiency:
            let health = try await exchange(.health(timeoutSeconds: settings.costEfficiency.timeoutSeconds), start)
            return CheckEvaluator.costEfficiency(health, settings.costEfficiency)
        case .loadHandling:
            let ids = share.requestIDs(total: settings.loadHandling.requests)
            let samples = try await concurrently(ids, start) { id in
                (CheckRequest.load(requestID: id, settings.loadHandling), CheckEvaluator.loadSample)
            }
            return CheckEvaluator.loadHandling(samples, requestIDs: ids, settings.loadHandling)
        case .rollback:
            let observation = try await RollbackScriptRunner(
                path: settings.rollbackScript, arguments: settings.rollback.arguments,
                timeoutSeconds: settings.rollback.timeoutSeconds, workingDirectory: workingDirectory
            ).run()
            return CheckEvaluator.rollback(observation, settings.rollback)
        }
    }

    /// Sends one request, timed from the check's start.
    func exchange(_ request: CheckRequest, _ start: ContinuousClock.Instant) async throws -> CheckExchange {
        let offset = Self.seconds(start.duration(to: .now)) * 1000
        let answer: TrainerAnswer = if request.method == "GET" {
            try await client.get(path: request.path, timeoutSeconds: request.timeoutSeconds)
        } else {
            try await client.post(
                path: request.path, json: request.body ?? Data(), timeoutSeconds: request.timeoutSeconds)
        }
        return CheckExchange(
            request: request, status: answer.status, body: answer.body, durationMs: answer.durationMs,
            transportError: answer.transportError, startOffsetMs: offset)
    }

    /// Sends one request per id at once (each in its own child task) and classifies each answer.
    private func concurrently(
        _ ids: [Int], _ start: ContinuousClock.Instant,
        _ make: @Sendable (Int) -> (CheckRequest, @Sendable (Int, CheckExchange, String?) -> CheckRequestSample)
    ) async throws -> [CheckRequestSample] {
        try await withThrowingTaskGroup(of: CheckRequestSample.self) { group in
            for id in ids {
                let (request, classify) = make(id)
                group.addTask { [self] in
                    classify(id, try await exchange(request, start), agent)
                }
            }
            var samples: [CheckRequestSample] = []
            for try await sample in group { samples.append(sample) }
            return samples.sorted { $0.requestID < $1.requestID }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
