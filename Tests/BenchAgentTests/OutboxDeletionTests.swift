import BenchAgent
import BenchCore
import BenchJSON
import BenchProtocol
import BenchTrainer
import BenchWire
import Foundation
import Testing
import TestTiming

/// While attempts execute, the deletion of an acknowledged result waits for the next outbox commit of new results
/// (one fsync for both); it must still happen before the agent stops, so that a restarted agent does not resend
/// what the coordinator already holds.
@Suite("Agent: deletions of acknowledged results")
struct OutboxDeletionTests {
    @Test("an ack that arrives while another attempt runs is deleted from the outbox by the time the agent stops")
    func deferredDeletionCommittedOnStop() async throws {
        var faults = TrainerFaults()
        faults.trainHang = true
        try await withTrainer(faults: faults) { url in
            let harness = try await AgentHarness()
            let agent = harness.start(harness.agent(slots: 2, trainerURL: url))
            let connection = try await harness.coordinator.nextConnection()
            _ = try await connection.receiveHello()
            try await connection.welcome()
            // The trainer never answers: the short attempt ends at its timeout (a failed measurement, still a
            // result), the long one keeps running while the short one is acknowledged.
            let short = try trainAssignment(jobs[0], timeoutMS: 200)
            let long = try trainAssignment(jobs[1], timeoutMS: Int(TestTiming.milliseconds(60_000)))
            try await connection.send(.assign(short))
            try await connection.send(.assign(long))
            let result = try await connection.receiveResult()
            #expect(result.task == short.task)
            try await connection.send(.ack(.init(task: short.task, status: .committed)))
            _ = try await harness.log.wait("ack of the short attempt") { event in
                if case .acknowledged(let task, .committed) = event, task == short.task { return true }
                return nil
            }
            #expect(!harness.log.events.contains { event in
                if case .attemptFinished(let task, _) = event { return task == long.task }
                return false
            })

            agent.cancel()
            _ = try await connection.receiveBye()
            guard case .failure = try await harness.outcome(of: agent) else {
                Issue.record("a cancelled agent throws")
                return
            }
            let outbox = try Outbox(path: harness.outboxPath)
            #expect(try outbox.pendingTasks().isEmpty)
            outbox.close()
            await harness.coordinator.stop()
        }
    }
}
