import BenchAgent
import BenchCore
import BenchJSON
import BenchProtocol
import BenchTrainer
import BenchWire
import Foundation
import Testing

/// A/B assignments (`target`, `target_url`, `after`) against a scripted coordinator and real trainers.
@Suite("Agent: A/B assignments", .serialized)
struct AgentTargetTests {
    /// The `train` assignment of one half of an A/B job, as the coordinator sends it.
    static func half(_ job: JobSpec, side: TargetSide, url: String, after: TaskRef? = nil) throws
        -> WireMessage.Assign
    {
        var task = job
        task.target = side.rawValue
        var assign = try trainAssignment(task)
        // The coordinator's payload names the task id as the job's id (`payload.job.id`).
        var spec = task
        spec.id = task.taskID
        let body = try JSONDecoder().decode(JSONValue.self,
                                            from: TrainRequest(job: job, template: Plan().payload).jsonData())
        assign.payload = try TrainTaskPayload(job: spec, body: body, pricing: Pricing()).jsonValue()
        assign.task = TaskRef(taskID: task.taskID, attempt: 1)
        assign.target = side.rawValue
        assign.targetURL = url
        assign.after = after
        return assign
    }

    @Test("hello announces ab_targets; the follower waits for its predecessor's slot, then calls its own side's URL")
    func followerRunsInPredecessorSlot() async throws {
        var hanging = TrainerFaults()
        hanging.trainHang = true
        try await withTrainer(faults: hanging) { baselineURL in
            try await withTrainer(instant: true) { candidateURL in
                let harness = try await AgentHarness()
                // The agent's own trainer is unreachable: a measurement that succeeds called the assignment's URL.
                let running = harness.start(harness.agent(slots: 2, trainerURL: "http://127.0.0.1:1"))
                let connection = try await harness.coordinator.nextConnection()
                let hello = try await connection.receiveHello()
                #expect(hello.features.contains(WireFeature.abTargets))
                try await connection.welcome()
                let first = try Self.half(jobs[0], side: .baseline, url: baselineURL)
                let second = try Self.half(jobs[0], side: .candidate, url: candidateURL, after: first.task)
                let other = try Self.half(jobs[1], side: .candidate, url: candidateURL)
                for assign in [first, second, other] { try await connection.send(.assign(assign)) }
                // `other` takes the second slot and finishes while `first` hangs: `second` has not started.
                let otherResult = try await connection.receiveResult()
                #expect(otherResult.task == other.task)
                #expect(otherResult.outcome["target"] == "candidate")
                #expect(otherResult.outcome["success"] == true)
                let started = harness.log.events.compactMap { event -> TaskRef? in
                    if case .attemptStarted(let task) = event { task } else { nil }
                }
                #expect(started == [first.task, other.task])
                // Ending the predecessor hands its slot to the follower.
                try await connection.send(.cancel(.init(task: first.task, reason: "test")))
                let secondResult = try await connection.receiveResult()
                #expect(secondResult.task == second.task)
                #expect(secondResult.outcome["target"] == "candidate")
                #expect(secondResult.outcome["success"] == true)
                #expect(secondResult.outcome["job_id"] == .string(second.task.taskID))
                for result in [otherResult, secondResult] {
                    try await connection.send(.ack(.init(task: result.task, status: .committed)))
                }
                try await connection.send(.drain(.init(reason: "done")))
                _ = try await connection.receiveBye()
                _ = try await harness.outcome(of: running)
                await harness.coordinator.stop()
            }
        }
    }
}
