@testable import BenchCoordinator
import BenchCore
import BenchStore
import BenchTLS
import BenchWire
import Foundation
import Testing

/// Dispatch capacity of the coordinator: two in-process agents over real mutual TLS answer every assign at once
/// with a result (no trainer), every result committed before its ack. Opt-in: `COORDINATOR_BENCH=1` (jobs:
/// `COORDINATOR_BENCH_JOBS`, default 20000). Prints jobs/s; asserts only that every job was counted once.
@Suite("Coordinator throughput (opt-in)")
struct CoordinatorThroughputBench {
    static let enabled = ProcessInfo.processInfo.environment["COORDINATOR_BENCH"] == "1"

    @Test("two instant agents: committed jobs per second", .enabled(if: enabled))
    func dispatchCapacity() async throws {
        let jobs = Int(ProcessInfo.processInfo.environment["COORDINATOR_BENCH_JOBS"] ?? "") ?? 20_000
        let slots = Int(ProcessInfo.processInfo.environment["COORDINATOR_BENCH_SLOTS"] ?? "") ?? 128
        let countries = (0..<100).map { "c\($0)" }
        let plan = Plan(days: max(1, jobs / 100), jobs: [JobConfig(type: "small", iterations: 1, trials: 1,
                                                                  countries: countries)],
                        jobGapSeconds: 0, dayGapSeconds: 0, maxAttempts: 3, maxInFlight: 4 * slots)
        let harness = try await CoordinatorHarness(plan: plan) { $0.drainGraceSeconds = 5 }
        let start = ContinuousClock.now
        async let first = Self.instantAgent(harness, name: "agent-1", slots: slots)
        async let second = Self.instantAgent(harness, name: "agent-2", slots: slots)
        let answered = try await first + second
        let status = try await harness.result(seconds: 600)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("COORDINATOR_BENCH jobs=\(status.done) answered=\(answered) seconds=\(seconds) "
              + "jobs_per_second=\(Int(Double(status.done) / seconds))")
        #expect(status.done == plan.days * 100)
        #expect(answered == status.done)
    }

    /// Answers every assign with a result at once; leaves after drain. Returns how many it answered.
    static func instantAgent(_ harness: CoordinatorHarness, name: String, slots: Int) async throws -> Int {
        let agent = try await harness.agent(name, slots: slots)
        let template = try outcome(for: TaskRef(taskID: "x", attempt: 1))
        guard case .object(var fields) = template else { return 0 }
        var answered = 0
        while true {
            switch try await agent.next(seconds: 120) {
            case .assign(let assign):
                fields["job_id"] = .string(assign.task.taskID)
                agent.send(.result(.init(task: assign.task, outcome: .object(fields), finishedAt: .now())))
                answered += 1
            case .drain:
                agent.send(.bye(.init(reason: "drained")))
                agent.close()
                return answered
            default:
                continue
            }
        }
    }
}
