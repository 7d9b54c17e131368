import BenchCore
import BenchStore
import Foundation
import Testing

/// The coordinator runs the plan's optimization test suite through two real agents, before and after a small
/// matrix, against a real trainer; all of them child processes over mutual TLS on loopback.
@Suite("Distributed check suite", .serialized)
struct DistributedCheckSuiteTests {
    /// The checks that run: the slow benchmark is off (CI time), and the two whose outcome depends on how busy
    /// this machine is (the trainer's CPU and memory figures) too.
    static let enabled: [CheckKind] = [
        .health, .containerWarming, .dataProcessing, .parallelProcessing, .errorHandling, .loadHandling, .rollback,
    ]

    @Test("checks.run both: a before and an after suite stored with every check, load from both agents, reports")
    func beforeAndAfter() async throws {
        let cluster = try await Cluster(agents: ["agent-1", "agent-2"],
                                        trainerArguments: ["--work-scale", "0.02", "--resamples", "20",
                                                           "--data-scale", "0.1"])
        let script = try cluster.dir.executable("rollback.sh", "#!/bin/sh\necho \"dry run: $*\"\nexit 0\n")
        let planPath = try cluster.plan("""
            days: 1
            jobs:
              - {type: small, iterations: 10, trials: 1, countries: [fr, de]}
            job_gap_seconds: 0
            day_gap_seconds: 0
            checks:
              run: both
              disabled: [performance_benchmark, resource_allocation, cost_efficiency]
              rollback_script: \(script)
            """)
        let (coordinator, port) = try await cluster.startCoordinator(
            plan: planPath,
            extra: ["--time-scale", "0.01", "--check-target", cluster.trainerURL, "--check-min-agents", "2"])
        let agents = try ["agent-1", "agent-2"].map { try cluster.startAgent($0, port: port) }
        let status = await coordinator.waitForExit(timeout: .seconds(240))
        #expect(status == 0, "coordinator:\n\(coordinator.text)")
        for agent in agents {
            #expect(await agent.waitForExit(timeout: .seconds(30)) == 0, "agent:\n\(agent.text)")
        }

        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        let runs = try store.suiteRuns(collectionID: collection.id)
        #expect(runs.map(\.phase) == [.before, .after])
        #expect(runs.allSatisfy { $0.completedAt != nil && $0.target == cluster.trainerURL })
        for run in runs {
            let report = try store.testSuiteReport(for: run)
            #expect(report.outcomes.map(\.check) == Self.enabled)
            for outcome in report.outcomes {
                #expect(outcome.status == .pass, "\(run.phase) \(outcome.check): \(outcome.reason ?? "")")
            }
            // The load check's five requests came from both agents, and the combined outcome says so.
            let load = try #require(report.outcomes.first { $0.check == .loadHandling })
            #expect(load.agents == ["agent-1", "agent-2"])
            #expect(load.samples.count == 5)
            #expect(Set(load.samples.compactMap(\.agent)) == ["agent-1", "agent-2"])
            let shares = try store.checkOutcomes(suiteRunID: run.id).filter { $0.check == .loadHandling }
            #expect(Set(shares.compactMap(\.share).map(\.count)) == [2])
            // The rollback script is the coordinator's.
            #expect(report.outcomes.last?.agent == "coordinator")
        }

        // The before suite completed before the first train job started; the after suite began after the last.
        let metrics = try store.countedMetrics(collectionID: collection.id)
        #expect(metrics.count == 2)
        let before = try #require(runs.first?.completedAt)
        let after = try #require(runs.last?.startedAt)
        #expect(metrics.allSatisfy { $0.timestamp >= before })
        #expect(metrics.allSatisfy { $0.timestamp <= after })

        for phase in ["before", "after"] {
            for suffix in ["md", "junit.xml", "json"] {
                let file = cluster.reportDir + "/test_report_\(phase).\(suffix)"
                #expect(FileManager.default.fileExists(atPath: file), "missing \(file)")
            }
        }
        let markdown = try String(contentsOfFile: cluster.reportDir + "/test_report_after.md", encoding: .utf8)
        #expect(markdown.contains("- **Total Tests**: 7"))
        #expect(markdown.contains("test_09_load_handling on agent-1, agent-2"))
        #expect(FileManager.default.fileExists(atPath: cluster.reportDir + "/baseline_report.md"))
    }
}
