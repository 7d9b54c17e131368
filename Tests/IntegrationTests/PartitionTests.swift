import BenchCore
import Foundation
import Testing
import TestTiming

/// Partitions between the coordinator and its agents through a userspace proxy on loopback (`FaultProxy`; the
/// kernel here has no netem): traffic blackholed for a while, then every connection reset. The agents reconnect
/// and the collection finishes with nothing lost, counted twice or run twice.
@Suite("Partitions: blackhole then reset between coordinator and agents", .serialized)
struct PartitionTests {
    @Test("a 2 s and a 6 s blackhole (past the heartbeat timeout), each ended by resets: nothing lost or doubled")
    func blackholeThenReset() async throws {
        let cluster = try await Cluster(agents: ["agent-1", "agent-2"], trainerArguments: ["--instant"])
        let planText = KillLoopTests.planText(jobs: 160)
        let plan = try PlanLoader.load(text: planText)
        let total = plan.expandJobs().count
        // The plan's pace scales as the kill loops' does (`KillLoopTests.timeScale`): a TSan run's collection once
        // finished between the test reading "10 more results" and starting the blackhole, and then waited for a 161st
        // result of 160. The heartbeat settings, the partitions and the lease are scaled together (TestTiming;
        // unchanged at scale 1): under a sanitizer a 5 s heartbeat timeout ends healthy sessions on a loaded machine,
        // and the partitions must still outlast it while the lease still outlasts them.
        let heartbeatMS = Int(TestTiming.milliseconds(1000)), heartbeatTimeoutMS = Int(TestTiming.milliseconds(5000))
        let (coordinator, port) = try await cluster.startCoordinator(
            plan: try cluster.plan(planText),
            extra: KillLoopTests.timeScale + ["--heartbeat-interval-ms", "\(heartbeatMS)",
                    "--heartbeat-timeout-ms", "\(heartbeatTimeoutMS)"] + Cluster.scaledLease)
        defer { coordinator.signal(SIGKILL) }
        let proxy = try await FaultProxy(targetPort: port)
        let agents = try ["agent-1", "agent-2"].map { try cluster.startAgent($0, port: proxy.port, slots: 1) }
        defer { for agent in agents { agent.signal(SIGKILL) } }
        let committed: @Sendable (String) -> Bool = { $0.contains("result ") && $0.contains("/\(total)]") }

        var recoveries: [Double] = []
        var progress = 0
        for blackhole in [TestTiming.scaled(.seconds(2)), TestTiming.scaled(.seconds(6))] {
            progress += 10
            let reached = await coordinator.waitForLines(progress, timeout: .seconds(300), committed)
            try #require(reached, "no progress before the partition:\n\(coordinator.text.suffix(4000))")
            proxy.blackhole()
            // The partition itself lasts this long; nothing is waited for here.
            try await Task.sleep(for: blackhole)
            // Counted before the resets, while nothing crosses the proxy: once the agents are back the rest of the
            // collection can finish before a loaded test process reads the lines again (a TSan run once counted
            // 160 of 160 after the reset, then waited for a 161st).
            progress = coordinator.lines.filter(committed).count
            await proxy.resetAll()
            let resetAt = ContinuousClock.now
            let resumed = await coordinator.waitForLines(progress + 1, timeout: .seconds(300), committed)
            try #require(resumed, "no result committed after the reset:\n\(coordinator.text.suffix(4000))")
            recoveries.append(KillLoopTests.seconds(ContinuousClock.now - resetAt))
        }
        #expect(await coordinator.waitForExit(timeout: .seconds(600)) == 0, "\(coordinator.text.suffix(4000))")
        for agent in agents { _ = await agent.waitForExit(timeout: .seconds(60)) }
        await proxy.shutdown()
        #expect(proxy.accepted > 2, "the agents reconnected after the resets (\(proxy.accepted) connections)")

        let figures = try CollectionInvariants.check(
            database: cluster.database, plan: plan, trainRequests: try cluster.trainRequests(),
            outboxes: ["agent-1", "agent-2"].map { cluster.dir.file("\($0).outbox") })
        // Leases (30 s) outlast the partitions: the agents keep their attempts and resend their results.
        #expect(figures.extraTrainerCalls == 0)
        print(KillLoopTests.figuresLine("partition", kills: 2, reexecuted: figures.extraTrainerCalls,
                                        figures: figures, recoveries: recoveries, counting: "partitions"))
    }
}
