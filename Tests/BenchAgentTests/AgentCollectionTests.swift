@testable import BenchAgent
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

@Suite("Agent: results go only to the collection they belong to")
struct AgentCollectionTests {
    @Test("after --new, an old collection's result stays in the outbox unsent; new results flow; drain still ends")
    func otherCollectionHeldBack() async throws {
        let harness = try await AgentHarness()
        let old = try trainAssignment(jobs[0])

        // Collection c-old: one result, never acknowledged; the agent stops.
        let first = harness.start(harness.agent())
        let connection = try await harness.coordinator.nextConnection()
        _ = try await connection.receiveHello()
        try await connection.welcome(collectionID: "c-old")
        try await connection.send(.assign(old))
        let oldResult = try await connection.receiveResult()
        first.cancel()
        _ = try await harness.outcome(of: first)

        // The coordinator now runs c-new; it assigns the same job id and attempt (a new collection reuses them).
        let second = harness.start(harness.agent())
        let again = try await harness.coordinator.nextConnection()
        #expect(try await again.receiveHello().queuedResults == [old.task])
        try await again.welcome(collectionID: "c-new")
        let held = try await harness.log.wait("held back") { event in
            if case .resultsHeldBack(let collection, let count) = event { (collection, count) } else { nil }
        }
        #expect(held.0 == "c-old" && held.1 == 1)
        try await again.send(.assign(old))
        let newResult = try await again.receiveResult()
        #expect(newResult.task == old.task)
        #expect(newResult.finishedAt != oldResult.finishedAt || newResult.outcome != oldResult.outcome)
        try await again.send(.ack(.init(task: newResult.task, status: .committed)))
        try await again.send(.drain(.init(reason: "collection complete")))
        #expect(try await again.receiveBye().reason == "drained")
        guard case .success = try await harness.outcome(of: second) else {
            Issue.record("a drained agent returns normally, even with results of another collection held back")
            return
        }
        let sent = harness.log.events.compactMap { event -> [TaskRef]? in
            if case .resultsSent(let tasks) = event { tasks } else { nil }
        }
        // Run 1 sent the old result once; run 2 sent only the new one.
        #expect(sent.flatMap { $0 }.count == 2)

        // Nothing lost: the old result is still on disk, tagged, and goes to a coordinator of c-old.
        do {
            let outbox = try Outbox(path: harness.outboxPath)
            #expect(try outbox.pendingEntries() == [OutboxEntry(result: oldResult, collectionID: "c-old")])
            outbox.close()
        }
        let third = harness.start(harness.agent())
        let back = try await harness.coordinator.nextConnection()
        _ = try await back.receiveHello()
        try await back.welcome(collectionID: "c-old")
        #expect(try await back.receiveResult() == oldResult)
        try await back.send(.ack(.init(task: oldResult.task, status: .committed)))
        try await back.send(.drain(.init(reason: "collection complete")))
        #expect(try await back.receiveBye().reason == "drained")
        _ = try await harness.outcome(of: third)
        let outbox = try Outbox(path: harness.outboxPath)
        #expect(try outbox.pendingTasks().isEmpty)
        await harness.coordinator.stop()
    }

    @Test("results of an outbox from before collection tags are sent to whichever coordinator welcomes the agent")
    func untaggedRowsAreSent() async throws {
        let harness = try await AgentHarness()
        let legacy = sampleResult(jobs[2].id)
        do {
            let outbox = try Outbox(path: harness.outboxPath, lastMigration: "v1-outbox-results")
            let outcome = try LegacyCompactJSON.text(legacy.outcome).replacingOccurrences(of: "'", with: "''")
            try outbox.executeRawSQL("""
                INSERT INTO outbox_result (task_id, attempt, outcome_json, finished_at)
                VALUES ('\(legacy.task.taskID)', \(legacy.task.attempt), '\(outcome)', '\(legacy.finishedAt.rawValue)')
                """)
            outbox.close()
        }
        let running = harness.start(harness.agent())
        let connection = try await harness.coordinator.nextConnection()
        #expect(try await connection.receiveHello().queuedResults == [legacy.task])
        try await connection.welcome(collectionID: "c-any")
        #expect(try await connection.receiveResult() == legacy)
        try await connection.send(.ack(.init(task: legacy.task, status: .committed)))
        try await connection.send(.drain(.init(reason: "collection complete")))
        #expect(try await connection.receiveBye().reason == "drained")
        guard case .success = try await harness.outcome(of: running) else {
            Issue.record("a drained agent returns normally")
            return
        }
        let outbox = try Outbox(path: harness.outboxPath)
        #expect(try outbox.pendingTasks().isEmpty)
        await harness.coordinator.stop()
    }
}
