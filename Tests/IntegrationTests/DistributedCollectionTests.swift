import BenchCore
import BenchStore
import Foundation
import Testing
import TestTiming

/// Coordinator and agents as real child processes over mutual TLS on loopback, with a real trainer.
@Suite("Distributed collection", .serialized)
struct DistributedCollectionTests {
    /// Polls the database (bounded) until `condition` holds for the current collection's status.
    static func waitForStatus(_ cluster: Cluster, timeout: Duration = .seconds(120),
                              _ condition: (CollectionStatus) -> Bool) async throws -> CollectionStatus {
        let timeout = TestTiming.scaled(timeout)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if FileManager.default.fileExists(atPath: cluster.database),
               let store = try? cluster.store(), let collection = try? store.currentCollection(),
               let status = try? store.status(collectionID: collection.id), condition(status) {
                return status
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw IntegrationError("condition not reached within \(timeout)")
    }

    static func expectEveryJobCountedOnce(_ cluster: Cluster, plan: Plan) throws -> [BaselineMetric] {
        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        let metrics = try store.countedMetrics(collectionID: collection.id)
        #expect(metrics.map(\.jobID) == plan.expandJobs().map(\.id))
        for job in plan.expandJobs() {
            #expect(try store.resultCount(collectionID: collection.id, jobID: job.id, countedOnly: true) == 1)
        }
        return metrics
    }

    @Test("three agents complete the 3-day default matrix; the report's numbers are the rows'")
    func threeAgents() async throws {
        let cluster = try await Cluster(agents: ["agent-1", "agent-2", "agent-3"])
        let planPath = try cluster.plan("job_gap_seconds: 0\nday_gap_seconds: 100\n")
        let (coordinator, port) = try await cluster.startCoordinator(plan: planPath, extra: ["--time-scale", "0.01"])
        let agents = try ["agent-1", "agent-2", "agent-3"].map { try cluster.startAgent($0, port: port) }
        let status = await coordinator.waitForExit(timeout: .seconds(300))
        #expect(status == 0, "coordinator:\n\(coordinator.text)")
        for agent in agents {
            #expect(await agent.waitForExit(timeout: .seconds(30)) == 0, "agent:\n\(agent.text)")
        }
        let plan = Plan(jobGapSeconds: 0, dayGapSeconds: 100)
        let metrics = try Self.expectEveryJobCountedOnce(cluster, plan: plan)
        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        #expect(try store.status(collectionID: collection.id).agentsSeen.count == 3)

        // The report's figures recomputed from the rows, independently of the renderer.
        let report = try String(contentsOfFile: cluster.reportDir + "/baseline_report.md", encoding: .utf8)
        let good = metrics.filter(\.success)
        let cost = good.reduce(0) { $0 + $1.costEstimate }
        let hours = good.reduce(0) { $0 + $1.durationMinutes } / 60
        #expect(report.contains("- **Total Jobs**: 27"))
        #expect(report.contains("- **Successful Jobs**: \(good.count)"))
        #expect(report.contains("- **Estimated Total Cost**: $\(String(format: "%.2f", cost))"))
        #expect(report.contains("- **Total Training Time**: \(String(format: "%.1f", hours)) hours"))
        for type in ["small", "medium", "large"] {
            let rows = good.filter { $0.jobType == type }
            let mean = rows.reduce(0) { $0 + $1.durationMinutes } / Double(rows.count)
            #expect(report.contains("- **\(type.capitalized) Jobs** (\(rows.count) samples):\n  - Duration: \(String(format: "%.1f", mean))"))
        }
        let json = try Data(contentsOf: URL(fileURLWithPath: cluster.reportDir + "/baseline_metrics.json"))
        let items = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        #expect(items.compactMap { $0["job_id"] as? String } == plan.expandJobs().map(\.id))
    }

    @Test("SIGKILL the coordinator mid-collection and restart it: nothing lost, nothing counted or run twice")
    func coordinatorKilled() async throws {
        let cluster = try await Cluster(agents: ["agent-1", "agent-2"], trainerArguments: ["--work-scale", "0.02"])
        let planPath = try cluster.plan("days: 2\njob_gap_seconds: 0\nday_gap_seconds: 100\n")
        // The lease is scaled (`Cluster.scaledLease`): under TSan a restart plus the agents' reconnect backoff once
        // outlasted the default 30 s, and the lease rightly re-dispatched a job the test then counted as run twice.
        let timing = ["--time-scale", "0.01"] + Cluster.scaledLease
        let (first, port) = try await cluster.startCoordinator(plan: planPath, extra: timing)
        let agents = try ["agent-1", "agent-2"].map { try cluster.startAgent($0, port: port) }
        _ = try await Self.waitForStatus(cluster) { $0.done >= 5 && $0.assigned > 0 }
        first.signal(SIGKILL)
        #expect(await first.waitForExit(timeout: .seconds(30)) != nil)

        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        let before = try store.countedMetrics(collectionID: collection.id)

        let (second, _) = try await cluster.startCoordinator(
            plan: planPath, extra: timing + ["--listen", "127.0.0.1:\(port)"])
        #expect(await second.waitForExit(timeout: .seconds(300)) == 0, "restarted coordinator:\n\(second.text)")
        for agent in agents { _ = await agent.waitForExit(timeout: .seconds(30)) }

        let plan = Plan(days: 2, jobGapSeconds: 0, dayGapSeconds: 100)
        let after = try Self.expectEveryJobCountedOnce(cluster, plan: plan)
        // Everything committed before the kill is still there, unchanged.
        for metric in before { #expect(after.contains(metric)) }
        // Re-attached attempts were not rerun: the trainer saw each job exactly once.
        let requests = try cluster.trainRequests()
        for job in plan.expandJobs() { #expect(requests[job.id] == 1, "\(job.id) requested \(requests[job.id] ?? 0) times") }
    }

    @Test("SIGKILL an agent mid-job: its attempt is re-dispatched after the lease and completed by another agent")
    func agentKilled() async throws {
        // Two jobs of ~2 s of fitting each: long enough to kill agent-1 in the middle of one.
        let cluster = try await Cluster(agents: ["agent-1", "agent-2"], trainerArguments: ["--work-scale", "0.05"])
        let planText = "days: 1\njob_gap_seconds: 0\njobs: [{type: large, iterations: 200, trials: 4, countries: [fr, de]}]\n"
        let planPath = try cluster.plan(planText)
        let (coordinator, port) = try await cluster.startCoordinator(
            plan: planPath, extra: ["--lease-seconds", "4", "--heartbeat-interval-ms", "200",
                                    "--heartbeat-timeout-ms", "3000"])
        let victim = try cluster.startAgent("agent-1", port: port, slots: 1)
        let store = try cluster.store()
        _ = try await Self.waitForStatus(cluster) { _ in
            guard let collection = try? store.currentCollection() else { return false }
            return !((try? store.assignedAttempts(collectionID: collection.id, agent: "agent-1")) ?? []).isEmpty
        }
        let collection = try #require(try store.currentCollection())
        let lost = try #require(try store.assignedAttempts(collectionID: collection.id, agent: "agent-1").first)
        victim.signal(SIGKILL)
        _ = await victim.waitForExit(timeout: .seconds(10))
        let survivor = try cluster.startAgent("agent-2", port: port, slots: 2)
        #expect(await coordinator.waitForExit(timeout: .seconds(300)) == 0, "coordinator:\n\(coordinator.text)")
        _ = await survivor.waitForExit(timeout: .seconds(30))

        let metrics = try Self.expectEveryJobCountedOnce(cluster, plan: try PlanLoader.load(text: planText))
        let redone = try #require(metrics.first { $0.jobID == lost.job.id })
        #expect(redone.agent == "agent-2")
        #expect(redone.attempt == lost.attempt + 1)
        #expect(redone.success)
        let status = try store.status(collectionID: collection.id)
        #expect(status.redispatched >= 1)
        #expect(status.harnessErrors == 0)
    }

    @Test("a trainer that fails, hangs or returns garbage yields failed measurements and the collection completes",
          arguments: [
            (["--fault", "train-error-every=2"], "", "HTTP 500"),
            (["--fault", "train-hang"], "", "timeout after"),
            // A 200 with garbage fails only under the strict rule, which the coordinator hands to its agents.
            (["--fault", "train-garbage"], "success_rule: status_success", "unreadable body"),
          ])
    func trainerFaults(fault: [String], planLine: String, reason: String) async throws {
        let cluster = try await Cluster(agents: ["agent-1"], trainerArguments: ["--work-scale", "0.02"] + fault)
        let planPath = try cluster.plan("""
            days: 1
            job_gap_seconds: 0
            timeout_seconds: \(TestTiming.seconds(1))
            jobs: [{type: small, iterations: 5, trials: 1, countries: [fr, de, uk, es]}]
            \(planLine)
            """)
        let (coordinator, port) = try await cluster.startCoordinator(plan: planPath)
        let agent = try cluster.startAgent("agent-1", port: port, slots: 4)
        #expect(await coordinator.waitForExit(timeout: .seconds(120)) == 0, "coordinator:\n\(coordinator.text)")
        _ = await agent.waitForExit(timeout: .seconds(30))
        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        let metrics = try store.countedMetrics(collectionID: collection.id)
        #expect(metrics.count == 4)
        let failed = metrics.filter { !$0.success }
        #expect(!failed.isEmpty)
        #expect(failed.allSatisfy { $0.errorMessage?.contains(reason) == true })
        #expect(try store.status(collectionID: collection.id).harnessErrors == 0)
    }

    @Test("a trainer answering 200 with garbage is healthy by the seed's rule: every job succeeds")
    func garbageIsSuccessByDefault() async throws {
        let cluster = try await Cluster(agents: ["agent-1"],
                                        trainerArguments: ["--work-scale", "0.02", "--fault", "train-garbage"])
        let planPath = try cluster.plan("""
            days: 1
            job_gap_seconds: 0
            jobs: [{type: small, iterations: 5, trials: 1, countries: [fr, de]}]
            """)
        let (coordinator, port) = try await cluster.startCoordinator(plan: planPath)
        let agent = try cluster.startAgent("agent-1", port: port, slots: 2)
        #expect(await coordinator.waitForExit(timeout: .seconds(120)) == 0, "coordinator:\n\(coordinator.text)")
        _ = await agent.waitForExit(timeout: .seconds(30))
        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        let metrics = try store.countedMetrics(collectionID: collection.id)
        #expect(metrics.count == 2)
        #expect(metrics.allSatisfy { $0.success && $0.httpStatus == 200 })
    }
}
