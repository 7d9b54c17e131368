import BenchAgent
import BenchCore
import BenchWire
import Foundation
import Synchronization
import Testing

@Suite("Agent throughput (AGENT_BENCH=1)", .enabled(if: ProcessInfo.processInfo.environment["AGENT_BENCH"] != nil))
struct AgentThroughputBench {
    @Test("skip-trainer jobs per second through one agent against a coordinator that acks at once")
    func throughput() async throws {
        let environment = ProcessInfo.processInfo.environment
        let total = Int(environment["AGENT_BENCH_JOBS"] ?? "") ?? 20_000
        let window = Int(environment["AGENT_BENCH_WINDOW"] ?? "") ?? 512
        let fixture = try AgentTLSFixture()
        let template = try trainAssignment(jobs[0])
        let server = try await WireServer.bind(host: "127.0.0.1", port: 0, tlsContext: fixture.serverContext)
        let elapsed = Mutex<Duration?>(nil)
        let serving = Task {
            try await server.run { connection in
                try await connection.channel.executeThenClose { inbound, outbound in
                    var sent = 0
                    func assignments(_ count: Int) -> [WireMessage] {
                        var batch: [WireMessage] = []
                        while batch.count < count, sent < total {
                            var assignment = template
                            assignment.task = TaskRef(taskID: "job-\(sent)", attempt: 1)
                            batch.append(.assign(assignment))
                            sent += 1
                        }
                        return batch
                    }
                    var done = 0
                    let clock = ContinuousClock()
                    var start = clock.now
                    for try await message in inbound {
                        switch message {
                        case .hello:
                            try await outbound.write(.welcome(.init(
                                agentID: "agent-1", collectionID: "bench", heartbeatIntervalMS: 5_000,
                                heartbeatTimeoutMS: 60_000)))
                            start = clock.now
                            try await outbound.write(contentsOf: assignments(window))
                        case .result(let result):
                            done += 1
                            var reply: [WireMessage] = [.ack(.init(task: result.task, status: .committed))]
                            reply += assignments(1)
                            if done == total {
                                elapsed.withLock { $0 = clock.now - start }
                                reply.append(.drain(.init(reason: "bench done")))
                            }
                            try await outbound.write(contentsOf: reply)
                        case .bye:
                            return
                        default:
                            break
                        }
                    }
                }
            }
        }
        let configuration = AgentConfiguration(
            coordinatorHost: "127.0.0.1", coordinatorPort: server.port, tls: fixture.agentTLS, trainerURL: nil,
            slots: window, outboxPath: fixture.path("bench.outbox.sqlite"), skipTrainer: true)
        try await Agent(configuration: configuration, logger: testLogger()).run()
        await server.close()
        _ = try? await serving.value
        let duration = try #require(elapsed.withLock { $0 })
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        print("AGENT_BENCH \(total) jobs in \(seconds) s = \(Int(Double(total) / seconds)) jobs/s (window \(window))")
    }
}
