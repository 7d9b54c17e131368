import BenchAgent
import BenchCore
import BenchJSON
import BenchProtocol
import BenchTrainer
import BenchWire
import Foundation
import Testing
import TestTiming

/// An agent against a scripted coordinator: real TLS on 127.0.0.1, a real outbox file, fast reconnects.
struct AgentHarness: Sendable {
    let fixture: AgentTLSFixture
    let coordinator: ScriptedCoordinator
    let outboxPath: String
    let log = EventLog()

    init() async throws {
        fixture = try AgentTLSFixture()
        coordinator = try await ScriptedCoordinator(fixture: fixture)
        outboxPath = fixture.path("agent-1.outbox.sqlite")
    }

    func agent(
        slots: Int = 2, labels: [String: String] = [:], trainerURL: String? = nil, giveUpAfter: Duration? = nil
    ) -> Agent {
        let configuration = AgentConfiguration(
            coordinatorHost: "127.0.0.1", coordinatorPort: coordinator.port, tls: fixture.agentTLS,
            trainerURL: trainerURL, slots: slots, labels: labels, outboxPath: outboxPath,
            skipTrainer: trainerURL == nil,
            backoff: ReconnectBackoff(initial: .milliseconds(20), multiplier: 2, maximum: .milliseconds(200)),
            giveUpAfter: giveUpAfter,
            // The scripted coordinator answers `hello` from the loaded test process: under ASan its tasks once
            // stood still past the default 30 s, and eight agent tests failed on the connection the agent had closed.
            welcomeTimeout: TestTiming.scaled(.seconds(30)))
        return Agent(configuration: configuration, logger: testLogger(), events: log.handler)
    }

    /// Starts `agent` in its own task.
    func start(_ agent: Agent) -> Task<Void, any Error> {
        Task { try await agent.run() }
    }

    /// Waits (bounded) for the agent's task to end and returns how it ended.
    func outcome(of task: Task<Void, any Error>, seconds: Double = 90) async throws -> Result<Void, any Error> {
        try await withDeadline(seconds: seconds, "agent exit") { await task.result }
    }
}

/// The `train` assignment of a plan's job: payload as the coordinator sends it.
/// The default `timeoutMS` is 30 s scaled by `TestTiming`: tests that keep an attempt running (a hanging trainer)
/// rely on it not timing out while a loaded sanitizer run stands still.
func trainAssignment(
    _ job: JobSpec, attempt: Int = 1, timeoutMS: Int = Int(TestTiming.milliseconds(30_000))
) throws -> WireMessage.Assign {
    let plan = Plan()
    let body = try JSONDecoder().decode(JSONValue.self, from: TrainRequest(job: job, template: plan.payload).jsonData())
    let payload = try TrainTaskPayload(job: job, body: body, pricing: plan.pricing).jsonValue()
    return WireMessage.Assign(task: TaskRef(taskID: job.id, attempt: attempt), kind: .train, leaseMS: 30_000,
                              timeoutMS: timeoutMS, payload: payload)
}

let jobs = Plan().expandJobs()

@Suite("Agent against a scripted coordinator (real TLS, real outbox)")
struct AgentTests {
    @Test("hello announces slots and labels; a restarted agent lists, resends and then drops its unacked results")
    func restartWithOutbox() async throws {
        let harness = try await AgentHarness()
        let assignment = try trainAssignment(jobs[0])

        // First run: one result, never acknowledged; then the agent is stopped (as by SIGINT).
        let first = harness.start(harness.agent(slots: 3, labels: ["region": "eu-west"]))
        let connection = try await harness.coordinator.nextConnection()
        let hello = try await connection.receiveHello()
        #expect(hello.protocolVersion == 1)
        #expect(hello.slots == 3)
        #expect(hello.labels == ["region": "eu-west"])
        #expect(hello.running.isEmpty && hello.queuedResults.isEmpty)
        #expect(connection.peer.commonName == "agent-1")
        try await connection.welcome()
        try await connection.send(.assign(assignment))
        let result = try await connection.receiveResult()
        #expect(result.task == assignment.task)
        first.cancel()
        let bye = try await connection.receiveBye()
        #expect(bye.reason == "agent shutting down")
        guard case .failure(let error) = try await harness.outcome(of: first) else {
            Issue.record("a cancelled agent throws")
            return
        }
        #expect(error is CancellationError)

        // Second run, same outbox: the result is announced, resent, acknowledged; drain ends the agent.
        let second = harness.start(harness.agent())
        let again = try await harness.coordinator.nextConnection()
        let rehello = try await again.receiveHello()
        #expect(rehello.queuedResults == [assignment.task])
        #expect(rehello.running.isEmpty)
        try await again.welcome()
        let resent = try await again.receiveResult()
        #expect(resent == result)
        try await again.send(.ack(.init(task: resent.task, status: .committed)))
        try await again.send(.drain(.init(reason: "collection complete")))
        let drained = try await again.receiveBye()
        #expect(drained.reason == "drained")
        guard case .success = try await harness.outcome(of: second) else {
            Issue.record("a drained agent returns normally")
            return
        }
        let outbox = try Outbox(path: harness.outboxPath)
        #expect(try outbox.pendingTasks().isEmpty)
        await harness.coordinator.stop()
    }

    @Test("a result is resent after every reconnect until it is acknowledged")
    func resendUntilAcked() async throws {
        let harness = try await AgentHarness()
        let assignment = try trainAssignment(jobs[1], attempt: 2)
        let running = harness.start(harness.agent())

        let first = try await harness.coordinator.nextConnection()
        _ = try await first.receiveHello()
        try await first.welcome()
        try await first.send(.assign(assignment))
        let original = try await first.receiveResult()
        await first.drop()

        for _ in 0..<2 {
            let next = try await harness.coordinator.nextConnection()
            let hello = try await next.receiveHello()
            #expect(hello.queuedResults == [assignment.task])
            try await next.welcome()
            #expect(try await next.receiveResult() == original)
            await next.drop()
        }

        let last = try await harness.coordinator.nextConnection()
        #expect(try await last.receiveHello().queuedResults == [assignment.task])
        try await last.welcome()
        #expect(try await last.receiveResult() == original)
        try await last.send(.ack(.init(task: original.task, status: .duplicate)))
        _ = try await harness.log.wait("ack applied") { event in
            if case .acknowledged(let task, .duplicate) = event, task == original.task { true } else { nil }
        }
        try await last.send(.drain(.init(reason: "done")))
        #expect(try await last.receiveBye().reason == "drained")
        guard case .success = try await harness.outcome(of: running) else {
            Issue.record("a drained agent returns normally")
            return
        }
        await harness.coordinator.stop()
    }

    @Test("cancel stops a running attempt: it leaves the heartbeat's running list and never reports a result")
    func cancelStopsAttempt() async throws {
        var faults = TrainerFaults()
        faults.trainHang = true
        try await withTrainer(faults: faults) { url in
            let harness = try await AgentHarness()
            let assignment = try trainAssignment(jobs[2])
            let running = harness.start(harness.agent(trainerURL: url))
            let connection = try await harness.coordinator.nextConnection()
            _ = try await connection.receiveHello()
            try await connection.welcome(intervalMS: 50, timeoutMS: Int(TestTiming.milliseconds(60_000)))
            try await connection.send(.assign(assignment))
            _ = try await connection.receive("started") { if case .started(let s) = $0 { s } else { nil } }
            _ = try await connection.receive("heartbeat listing the attempt") { message in
                if case .heartbeat(let beat) = message, beat.running == [assignment.task] { true } else { nil }
            }
            try await connection.send(.cancel(.init(task: assignment.task, reason: "lease expired")))
            _ = try await harness.log.wait("attempt cancelled") { event in
                if case .attemptCancelled(let task, _) = event, task == assignment.task { true } else { nil }
            }
            _ = try await connection.receive("heartbeat without the attempt") { message in
                if case .heartbeat(let beat) = message, beat.running.isEmpty { true } else { nil }
            }
            // Nothing is left, so drain completes at once; no result may come before the bye.
            try await connection.send(.drain(.init(reason: "done")))
            let beforeBye = try await connection.receive("bye") { message -> WireMessage.Bye? in
                if case .result(let result) = message {
                    Issue.record("a cancelled attempt reported \(result.task)")
                }
                if case .bye(let bye) = message { return bye }
                return nil
            }
            #expect(beforeBye.reason == "drained")
            guard case .success = try await harness.outcome(of: running) else {
                Issue.record("a drained agent returns normally")
                return
            }
            await harness.coordinator.stop()
        }
    }

    @Test("after a reconnect, welcome.cancelled attempts stop and re-attached ones keep running")
    func reattachAndCancelOnReconnect() async throws {
        var faults = TrainerFaults()
        faults.trainHang = true
        try await withTrainer(faults: faults) { url in
            let harness = try await AgentHarness()
            let kept = try trainAssignment(jobs[0])
            let lost = try trainAssignment(jobs[1])
            let running = harness.start(harness.agent(slots: 2, trainerURL: url))
            let first = try await harness.coordinator.nextConnection()
            _ = try await first.receiveHello()
            try await first.welcome()
            try await first.send(.assign(kept))
            try await first.send(.assign(lost))
            for task in [kept.task, lost.task] {
                _ = try await harness.log.wait("\(task) started") { event in
                    if case .attemptStarted(let started) = event, started == task { true } else { nil }
                }
            }
            await first.drop()

            let second = try await harness.coordinator.nextConnection()
            let hello = try await second.receiveHello()
            #expect(Set(hello.running) == [kept.task, lost.task])
            try await second.welcome(intervalMS: 50, reattached: [kept.task], cancelled: [lost.task])
            _ = try await harness.log.wait("cancelled on reconnect") { event in
                if case .attemptCancelled(let task, _) = event, task == lost.task { true } else { nil }
            }
            _ = try await second.receive("heartbeat with the re-attached attempt only") { message in
                if case .heartbeat(let beat) = message, beat.running == [kept.task] { true } else { nil }
            }
            running.cancel()
            #expect(try await second.receiveBye().reason == "agent shutting down")
            _ = try await harness.outcome(of: running)
            await harness.coordinator.stop()
        }
    }

    @Test("reject not_allowed stops the agent with an error naming the code and the reason")
    func rejectedNotAllowed() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(harness.agent())
        let connection = try await harness.coordinator.nextConnection()
        _ = try await connection.receiveHello()
        try await connection.send(.reject(.init(code: .notAllowed, reason: "agent-1 is not on the allow-list")))
        await connection.drop()
        guard case .failure(let error) = try await harness.outcome(of: running) else {
            Issue.record("a rejected agent must fail")
            return
        }
        let agentError = try #require(error as? AgentError)
        #expect(agentError.code == .rejected)
        #expect(agentError.rejectCode == .notAllowed)
        #expect(agentError.description.contains("not on the allow-list"))
        await harness.coordinator.stop()
    }

    @Test("reject duplicate_agent is retried with backoff")
    func rejectedDuplicateIsRetried() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(harness.agent())
        let first = try await harness.coordinator.nextConnection()
        _ = try await first.receiveHello()
        try await first.send(.reject(.init(code: .duplicateAgent, reason: "agent-1 is connected already")))
        await first.drop()
        let second = try await harness.coordinator.nextConnection()
        _ = try await second.receiveHello()
        try await second.welcome()
        try await second.send(.drain(.init(reason: "nothing to do")))
        #expect(try await second.receiveBye().reason == "drained")
        guard case .success = try await harness.outcome(of: running) else {
            Issue.record("a drained agent returns normally")
            return
        }
        #expect(harness.log.events.contains { if case .reconnecting = $0 { true } else { false } })
        await harness.coordinator.stop()
    }

    @Test("a silent coordinator is given up after the heartbeat timeout and the agent reconnects")
    func heartbeatTimeout() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(harness.agent())
        let first = try await harness.coordinator.nextConnection()
        _ = try await first.receiveHello()
        try await first.welcome(intervalMS: 20, timeoutMS: 100)
        let bye = try await first.receiveBye()
        #expect(bye.reason.contains("heartbeat timeout"))
        let second = try await harness.coordinator.nextConnection()
        _ = try await second.receiveHello()
        running.cancel()
        _ = try await harness.outcome(of: running)
        await harness.coordinator.stop()
    }

    @Test("train tasks post the body to the trainer and report BaselineMetric JSON; an unusable check task fails")
    func trainAgainstTrainer() async throws {
        try await withTrainer(instant: true) { url in
            let harness = try await AgentHarness()
            let assignment = try trainAssignment(jobs[3], attempt: 4)
            let running = harness.start(harness.agent(trainerURL: url))
            let connection = try await harness.coordinator.nextConnection()
            _ = try await connection.receiveHello()
            try await connection.welcome()
            try await connection.send(.assign(assignment))
            let result = try await connection.receiveResult()
            let metric = try BaselineMetric(wireValue: result.outcome)
            #expect(metric.success)
            #expect(metric.jobID == jobs[3].id)
            #expect(metric.attempt == 4)
            #expect(metric.agent == "agent-1")
            #expect(metric.httpStatus == 200)
            #expect(metric.iterations == jobs[3].iterations)

            let check = WireMessage.Assign(task: TaskRef(taskID: "check-1", attempt: 1), kind: .check,
                                           leaseMS: 1_000, timeoutMS: 1_000, payload: [:])
            try await connection.send(.assign(check))
            let checked = try await connection.receiveResult()
            #expect(checked.task == check.task)
            #expect(checked.outcome["success"] == .bool(false))
            #expect(checked.outcome["error"]?.stringValue?.hasPrefix("unusable check task check-1#1") == true)
            running.cancel()
            _ = try await harness.outcome(of: running)
            await harness.coordinator.stop()
        }
    }
}
