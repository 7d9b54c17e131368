@testable import BenchAgent
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

@Suite("Agent: a result the coordinator refuses is kept, marked, and not resent")
struct AgentRefusalTests {
    @Test("ack refused: the row stays with its reason, drain ends, and the next session neither lists nor resends it")
    func refusedResultKept() async throws {
        let harness = try await AgentHarness()
        let assignment = try trainAssignment(jobs[0])
        let reason = "attempt 1 of job \(assignment.task.taskID) was not assigned to agent agent-1"

        let first = harness.start(harness.agent())
        let connection = try await harness.coordinator.nextConnection()
        _ = try await connection.receiveHello()
        try await connection.welcome(collectionID: "c-1")
        try await connection.send(.assign(assignment))
        let result = try await connection.receiveResult()
        try await connection.send(.ack(.init(task: result.task, status: .refused, reason: reason)))
        try await connection.send(.drain(.init(reason: "collection complete")))
        #expect(try await connection.receiveBye().reason == "drained")
        guard case .success = try await harness.outcome(of: first) else {
            Issue.record("a drained agent whose only result was refused returns normally")
            return
        }
        do {
            let outbox = try Outbox(path: harness.outboxPath)
            #expect(try outbox.pendingEntries()
                == [OutboxEntry(result: result, collectionID: "c-1", refusedReason: reason)])
            #expect(try outbox.pendingTasks().isEmpty)
            outbox.close()
        }

        // A later session of the same collection: not in queued_results, not resent, reported once; drain ends.
        let second = harness.start(harness.agent())
        let again = try await harness.coordinator.nextConnection()
        #expect(try await again.receiveHello().queuedResults.isEmpty)
        try await again.welcome(collectionID: "c-1")
        let kept = try await harness.log.wait("refused results kept") { event in
            if case .refusedResultsKept(let count, let path) = event { (count, path) } else { nil }
        }
        #expect(kept.0 == 1 && kept.1 == harness.outboxPath)
        try await again.send(.drain(.init(reason: "collection complete")))
        #expect(try await again.receiveBye().reason == "drained")
        guard case .success = try await harness.outcome(of: second) else {
            Issue.record("a drained agent holding only a refused result returns normally")
            return
        }
        let sent = harness.log.events.compactMap { event -> [TaskRef]? in
            if case .resultsSent(let tasks) = event { tasks } else { nil }
        }
        #expect(sent.flatMap { $0 } == [result.task])
        let outbox = try Outbox(path: harness.outboxPath)
        #expect(try outbox.pendingEntries().map(\.refusedReason) == [reason])
        outbox.close()
        await harness.coordinator.stop()
    }

    @Test("the outbox marks a refused row with reason and time, keeps it out of pendingTasks, and an ack deletes it")
    func outboxMarksRefusal() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("agent.outbox.sqlite")
        let refused = sampleResult("baseline-1-1-fr")
        let waiting = sampleResult("baseline-1-2-uk")
        let outbox = try Outbox(path: path)
        defer { outbox.close() }
        try outbox.store([refused, waiting].map { OutboxEntry(result: $0, collectionID: "c-1") })
        let key = OutboxKey(collectionID: "c-1", task: refused.task)
        let refusal = OutboxRefusal(key: key, reason: "not yours")
        #expect(try await outbox.apply(storing: [], removing: [], refusing: [refusal]) == 0)
        #expect(try outbox.pendingEntries() == [
            OutboxEntry(result: refused, collectionID: "c-1", refusedReason: "not yours"),
            OutboxEntry(result: waiting, collectionID: "c-1"),
        ])
        #expect(try outbox.pendingEntries().map(\.isSettledRefusal) == [true, false])
        #expect(try outbox.pendingTasks() == [waiting.task])
        #expect(try outbox.remove([key]) == 1)
        #expect(try outbox.pendingTasks() == [waiting.task])
        #expect(try outbox.pendingEntries().count == 1)
    }
}
