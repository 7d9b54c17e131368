import BenchAgent
import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchTrainer
import BenchWire
import Foundation
import Logging
import Testing
import TestSupport
import TestTiming

/// Runs `body` while a reference trainer listens on 127.0.0.1:`port`, then stops it.
func withTrainer<T: Sendable>(port: Int, _ body: @Sendable () async throws -> T) async throws -> T {
    var configuration = TrainerConfiguration()
    configuration.workScale = 0.02
    configuration.instant = true
    configuration.port = port
    var logger = Logger(label: "test.trainer")
    logger.logLevel = .critical
    let trainer = ReferenceTrainer(configuration: configuration, logger: logger)
    _ = try await trainer.start()
    do {
        let result = try await body()
        await trainer.stop()
        return result
    } catch {
        await trainer.stop()
        throw error
    }
}

@Suite("An unreachable trainer is the agent's setup failing, never a measurement", .serialized)
struct TrainerReachabilityTests {
    func agent(_ harness: AgentHarness, trainerURL: String) -> Agent {
        let configuration = AgentConfiguration(
            coordinatorHost: "127.0.0.1", coordinatorPort: harness.coordinator.port, tls: harness.fixture.agentTLS,
            trainerURL: trainerURL, slots: 2, outboxPath: harness.outboxPath,
            backoff: ReconnectBackoff(initial: .milliseconds(20), multiplier: 2, maximum: .milliseconds(200)),
            // Scaled as in `AgentHarness.agent`: the scripted coordinator answers `hello` from the loaded test
            // process (under TSan this test's agent gave up waiting and closed the connection the test then used).
            welcomeTimeout: TestTiming.scaled(.seconds(30)),
            trainerCheckInterval: .milliseconds(50))
        return Agent(configuration: configuration, logger: testLogger(), events: harness.log.handler)
    }

    @Test("hello and heartbeats say so, an attempt is reported as a harness failure, work resumes when it is back")
    func unreachableThenBack() async throws {
        let harness = try await AgentHarness()
        let closed = try ClosedLoopbackPort()
        defer { closed.release() }
        let port = closed.port
        let url = "http://127.0.0.1:\(port)"
        let running = harness.start(agent(harness, trainerURL: url))
        let connection = try await harness.coordinator.nextConnection()
        let hello = try await connection.receiveHello()
        let reason = try #require(hello.trainerUnreachable, "hello does not say the trainer is unreachable")
        #expect(reason.contains("connection refused"), "\(reason)")
        #expect(reason.contains(url), "\(reason)")
        try await connection.welcome(intervalMS: 50, timeoutMS: Int(TestTiming.milliseconds(120_000)))

        // An assignment that comes anyway (a coordinator that ignores the field) is not run into a measurement.
        let first = try trainAssignment(jobs[0])
        try await connection.send(.assign(first))
        let reported = try await connection.receiveResult()
        #expect(reported.task == first.task)
        guard case .object(let members) = reported.outcome else {
            Issue.record("outcome is not an object: \(reported.outcome)")
            return
        }
        guard case .string(let failure)? = members["harness_failure"] else {
            Issue.record("the attempt was reported as a measurement: \(reported.outcome)")
            return
        }
        #expect(failure.contains("connection refused"), "\(failure)")
        #expect(members["success"] == nil && members["duration_ms"] == nil, "no measurement fields")
        try await connection.send(.ack(.init(task: reported.task, status: .committed)))
        _ = try await connection.receive("heartbeat while unreachable") { message in
            if case .heartbeat(let beat) = message, beat.trainerUnreachable != nil { beat } else { nil }
        }

        // The trainer comes back on that port: heartbeats stop saying so and the next attempt is measured.
        closed.release()
        try await withTrainer(port: port) {
            _ = try await connection.receive("heartbeat after the trainer came back") { message in
                if case .heartbeat(let beat) = message, beat.trainerUnreachable == nil { beat } else { nil }
            }
            _ = try await harness.log.wait("trainer reachable event") { event in
                if case .trainerReachable = event { true } else { nil }
            }
            let second = try trainAssignment(jobs[0], attempt: 2)
            try await connection.send(.assign(second))
            let measured = try await connection.receiveResult()
            #expect(measured.task == second.task)
            #expect(measured.outcome["success"] == .bool(true), "\(measured.outcome)")
            try await connection.send(.ack(.init(task: measured.task, status: .committed)))
            try await connection.send(.drain(.init(reason: "done")))
            #expect(try await connection.receiveBye().reason == "drained")
        }
        guard case .success = try await harness.outcome(of: running) else {
            Issue.record("a drained agent returns normally")
            return
        }
        let events = harness.log.events
        #expect(events.contains { if case .trainerUnreachable = $0 { true } else { false } })
        await harness.coordinator.stop()
    }

    @Test("a trainer that answers with HTTP errors gives failed measurements, not harness failures")
    func httpErrorsStayMeasurements() async throws {
        var faults = TrainerFaults()
        faults.trainFailureEveryNth = 1
        try await withTrainer(faults: faults) { url in
            let harness = try await AgentHarness()
            let running = harness.start(agent(harness, trainerURL: url))
            let connection = try await harness.coordinator.nextConnection()
            let hello = try await connection.receiveHello()
            #expect(hello.trainerUnreachable == nil)
            try await connection.welcome()
            let assignment = try trainAssignment(jobs[1])
            try await connection.send(.assign(assignment))
            let result = try await connection.receiveResult()
            #expect(result.outcome["success"] == .bool(false))
            #expect(result.outcome["http_status"] == .number(500))
            #expect(result.outcome["harness_failure"] == nil)
            running.cancel()
            _ = try await harness.outcome(of: running)
            await harness.coordinator.stop()
        }
    }

    @Test("collect against a trainer nobody listens on stops with a clear error and leaves every job pending")
    func collectStops() async throws {
        let closed = try ClosedLoopbackPort()
        defer { closed.release() }
        let port = closed.port
        let path = LocalCollectorTests.temporaryPath()
        defer { LocalCollectorTests.removeTemporaryPath(path) }
        let url = "http://127.0.0.1:\(port)"
        do {
            _ = try await withDeadline(seconds: 60, "collect") {
                try await LocalCollector(configuration: LocalCollectionConfiguration(
                    trainerURL: url, databasePath: path, plan: LocalCollectorTests.plan, concurrency: 2)).run { _ in }
            }
            Issue.record("collect finished against a trainer nobody listens on")
        } catch {
            let text = "\(error)"
            #expect(text.contains("cannot reach the trainer at \(url)"), "\(text)")
            #expect(text.contains("connection refused"), "\(text)")
        }
        let store = try BenchStore(path: path)
        let collection = try #require(try store.currentCollection())
        let status = try store.status(collectionID: collection.id)
        #expect(status.done == 0 && status.assigned == 0 && status.pending == status.total)
        #expect(status.failedMeasurements == 0)
    }

    @Test("a refused connection reads as such (not 'connection reset (error set): Connection refused)')")
    func refusedMessage() async throws {
        let closed = try ClosedLoopbackPort()
        defer { closed.release() }
        let port = closed.port
        let http = TrainerClient.makeHTTPClient(connections: 1)
        let client = TrainerClient(baseURL: "http://127.0.0.1:\(port)/", http: http)
        let answer = try await shuttingDown(http) {
            try await client.post(path: "/train", json: Data("{}".utf8), timeoutSeconds: 30)
        }
        #expect(answer.status == nil)
        #expect(answer.transportError
                == "cannot connect to the trainer at http://127.0.0.1:\(port): connection refused")
    }
}
