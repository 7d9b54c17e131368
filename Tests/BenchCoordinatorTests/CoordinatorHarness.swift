@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchTLS
import BenchWire
import Foundation
import Logging
import Synchronization
import TestTiming

/// Certificates for a coordinator on 127.0.0.1 and named agents, in a temporary directory removed at the end.
final class TestCertificates: Sendable {
    let directory: String
    let authority: CertificateAuthority
    let server: CertificateFiles

    init(agents: [String] = ["agent-1", "agent-2", "agent-3"]) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("coordinator-test-\(UUID().uuidString)").path
        authority = try CertificateAuthority.create(in: directory)
        server = try authority.issueServerCertificate(subjectAlternativeNames: [.ip("127.0.0.1")])
        for agent in agents { _ = try authority.issueClientCertificate(agentName: agent) }
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    var serverTLS: TLSConfiguration {
        TLSConfiguration(certificateChainPath: server.certificatePath, privateKeyPath: server.privateKeyPath,
                         trustRootsPath: authority.certificatePath,
                         handshakeTimeout: .milliseconds(TestTiming.milliseconds(10_000)))
    }

    func clientContext(_ agent: String) throws -> TLSContext {
        try TLSContext(configuration: TLSConfiguration(
            certificateChainPath: "\(directory)/\(agent).pem", privateKeyPath: "\(directory)/\(agent)-key.pem",
            trustRootsPath: authority.certificatePath,
            handshakeTimeout: .milliseconds(TestTiming.milliseconds(10_000))), role: .client)
    }

    func file(_ name: String) -> String { "\(directory)/\(name)" }
}

/// A coordinator running in-process on 127.0.0.1 port 0 for one test.
final class CoordinatorHarness: Sendable {
    let certificates: TestCertificates
    let logs = LogCapture()
    let configuration: CoordinatorConfiguration
    let task: Task<CollectionStatus, any Error>
    let port: Int

    var databasePath: String { configuration.databasePath }

    /// Starts a coordinator and waits (bounded) until it listens.
    init(plan: Plan?, certificates: TestCertificates? = nil, clock: any CoordinatorClock = SystemCoordinatorClock(),
         monotonicClock: MonotonicClock = .continuous, database: String? = nil,
         configure: (inout CoordinatorConfiguration) -> Void = { _ in }) async throws {
        let certificates = try certificates ?? TestCertificates()
        self.certificates = certificates
        var configuration = CoordinatorConfiguration(
            host: "127.0.0.1", port: 0, databasePath: database ?? certificates.file("collection.sqlite"), plan: plan,
            tls: certificates.serverTLS, reportDirectory: certificates.file("reports"), timeScale: 0,
            leaseSeconds: TestTiming.seconds(300), heartbeatIntervalMS: 60_000,
            heartbeatTimeoutMS: Int(TestTiming.milliseconds(120_000)),
            helloTimeoutSeconds: TestTiming.seconds(10), drainGraceSeconds: 5)
        configure(&configuration)
        self.configuration = configuration
        let coordinator = Coordinator(configuration: configuration, logger: logs.logger(), clock: clock,
                                      monotonicClock: monotonicClock)
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        task = Task {
            defer { sink.finish() }
            return try await coordinator.run { port in sink.yield(port) }
        }
        guard let port = try await withDeadline({
            var iterator = ports.makeAsyncIterator()
            return await iterator.next()
        }) else {
            _ = try await task.value
            throw HarnessError("the coordinator returned without listening")
        }
        self.port = port
    }

    /// Connects an agent with the certificate of `certificateName` (defaults to `name`) and says hello.
    func agent(_ name: String, slots: Int = 1, labels: [String: String] = [:], running: [TaskRef] = [],
               queued: [TaskRef] = [], certificateName: String? = nil) async throws -> ScriptedAgent {
        let context = try certificates.clientContext(certificateName ?? name)
        let agent = try await ScriptedAgent.connect(port: port, context: context)
        agent.send(.hello(.init(agentID: name, slots: slots, labels: labels, running: running, queuedResults: queued)))
        return agent
    }

    /// Waits (bounded) for the coordinator to return.
    /// Waits (bounded) for the coordinator to return. Past the deadline the coordinator is cancelled (stopped
    /// gracefully) and the test fails with ``DeadlineExceeded``.
    func result(seconds: Double = 60) async throws -> CollectionStatus {
        let seconds = TestTiming.seconds(seconds)
        let task = self.task
        return try await withThrowingTaskGroup(of: CollectionStatus?.self) { group in
            group.addTask { try await task.value }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let status = try await group.next() ?? nil else {
                task.cancel()
                throw DeadlineExceeded(seconds: seconds)
            }
            return status
        }
    }

    func store() throws -> BenchStore { try BenchStore(path: databasePath) }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct DeadlineExceeded: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "nothing happened within \(seconds) s" }
}

/// Runs `body`, failing with ``DeadlineExceeded`` if it has not finished within `seconds` (bounds every wait on a
/// network event; never delays a test that succeeds).
func withDeadline<T: Sendable>(seconds: Double = 90, _ body: @escaping @Sendable () async throws -> T) async throws
    -> T
{
    let seconds = TestTiming.seconds(seconds)
    return try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw DeadlineExceeded(seconds: seconds)
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw DeadlineExceeded(seconds: seconds) }
        return result
    }
}

/// A measurement as an agent would report it for `task`.
func outcome(for task: TaskRef, success: Bool = true) throws -> JSONValue {
    let job = JobSpec(id: task.taskID, ordinal: 0, day: 1, configIndex: 1, country: "fr", jobType: "small",
                      iterations: 1, trials: 1)
    let metric = success
        ? BaselineMetric.success(job: job, startedAt: Date(timeIntervalSince1970: 1_750_000_000), durationMs: 12,
                                 httpStatus: 200, attempt: task.attempt, agent: "x", costModel: CostModel())
        : BaselineMetric.failure(job: job, startedAt: Date(timeIntervalSince1970: 1_750_000_000), durationMs: 3,
                                 httpStatus: 500, attempt: task.attempt, agent: "x", error: "HTTP 500")
    guard let outcome = metric.wireValue else { throw OutcomeRefusal(reason: "the sample metric has no JSON") }
    return outcome
}

func resultMessage(_ task: TaskRef, success: Bool = true) throws -> WireMessage {
    .result(.init(task: task, outcome: try outcome(for: task, success: success), finishedAt: .now()))
}
