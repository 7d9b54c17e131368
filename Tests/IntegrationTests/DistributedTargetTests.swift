import BenchCore
import BenchStore
import Foundation
import Testing
import TestTiming

/// An A/B plan through a real coordinator and agents (child processes, mutual TLS on loopback) against two real
/// `mmmbench trainer --instant` processes.
@Suite("Distributed A/B collection", .serialized)
struct DistributedTargetTests {
    @Test("SIGKILL the coordinator mid-run and restart: every (job, target) counted once, each trainer saw each job once")
    func coordinatorKilled() async throws {
        let cluster = try await Cluster(agents: ["agent-1", "agent-2"], trainerArguments: ["--instant"])
        let baselineLog = cluster.dir.file("baseline.jsonl")
        let candidateLog = cluster.dir.file("candidate.jsonl")
        let (baseline, baselineURL) = try await startTrainer(["--instant", "--request-log", baselineLog])
        let (candidate, candidateURL) = try await startTrainer(["--instant", "--request-log", candidateLog])
        defer {
            baseline.signal(SIGTERM)
            candidate.signal(SIGTERM)
        }
        let planText = """
            days: 2
            job_gap_seconds: 50
            day_gap_seconds: 100
            targets: {baseline: "\(baselineURL)", candidate: "\(candidateURL)"}

            """
        let planPath = try cluster.plan(planText)
        // The plan's pace scales with TestTiming (unchanged at scale 1): under TSan the collection once finished
        // before the test's status poll saw it mid-run, and the wait for "done < total" never ended.
        let timeScale = Cluster.timeScale(0.01)
        let (first, port) = try await cluster.startCoordinator(plan: planPath, extra: timeScale)
        let agents = try ["agent-1", "agent-2"].map { try cluster.startAgent($0, port: port) }
        _ = try await DistributedCollectionTests.waitForStatus(cluster) { $0.done >= 5 && $0.done < $0.total }
        first.signal(SIGKILL)
        #expect(await first.waitForExit(timeout: .seconds(30)) != nil)

        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        let before = try store.countedMetrics(collectionID: collection.id)

        let (second, _) = try await cluster.startCoordinator(
            plan: planPath, extra: timeScale + ["--listen", "127.0.0.1:\(port)"])
        #expect(await second.waitForExit(timeout: .seconds(300)) == 0, "restarted coordinator:\n\(second.text)")
        for agent in agents { _ = await agent.waitForExit(timeout: .seconds(30)) }

        let plan = try PlanLoader.load(text: planText)
        let metrics = try store.countedMetrics(collectionID: collection.id)
        #expect(metrics.map(\.jobID) == plan.expandTasks().map(\.id))
        #expect(metrics.map(\.target) == plan.expandTasks().map(\.target))
        #expect(metrics.filter { !$0.success }.isEmpty)
        for task in plan.expandTasks() {
            #expect(try store.resultCount(collectionID: collection.id, jobID: task.taskID, countedOnly: true) == 1,
                    "\(task.taskID)")
        }
        for metric in before { #expect(metrics.contains(metric)) }
        // Both halves of a job ran on the same agent (a half re-run as a later attempt may go elsewhere).
        for job in plan.expandJobs() {
            let halves = metrics.filter { $0.jobID == job.id }
            guard halves.allSatisfy({ $0.attempt == 1 }) else { continue }
            #expect(Set(halves.map(\.agent)).count == 1, "\(job.id) ran on \(halves.map(\.agent))")
        }
        // Each side's trainer measured each job once: re-attached halves were not rerun; the agents' own trainer
        // (--trainer-url) was never called.
        for (side, log) in [("baseline", baselineLog), ("candidate", candidateLog)] {
            let seen = try CollectionInvariants.trainRequests(log: log)
            for job in plan.expandJobs() {
                #expect(seen[job.id] == 1, "\(side) trainer saw \(job.id) \(seen[job.id] ?? 0) times")
            }
            #expect(seen.count == plan.expandJobs().count)
        }
        #expect(try cluster.trainRequests().isEmpty)
        let targets = try store.targetStatus(collectionID: collection.id)
        #expect(targets.map(\.done) == [18, 18])
        for name in ["baseline_report_baseline.md", "baseline_report_candidate.md"] {
            #expect(FileManager.default.fileExists(atPath: cluster.reportDir + "/" + name))
        }
    }
}
