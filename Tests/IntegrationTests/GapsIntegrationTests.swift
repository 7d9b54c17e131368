import BenchCore
import BenchStore
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Real processes: the single-writer lock across programs and path spellings, and an agent whose trainer is down.
@Suite("Integration: one writer per database whatever the path; an unreachable trainer burns nothing",
       .serialized)
struct GapsIntegrationTests {
    static let planText = """
        days: 1
        job_gap_seconds: 0
        day_gap_seconds: 0
        timeout_seconds: 60
        """

    @Test("collect and a 2nd coordinator are refused via symlink and hard link; status still reads")
    func oneWriterAcrossPrograms() async throws {
        let cluster = try await Cluster(agents: ["agent-1"])
        let plan = try cluster.plan(Self.planText)
        let (coordinator, _) = try await cluster.startCoordinator(plan: plan)
        defer { coordinator.signal(SIGKILL) }
        let symlink = cluster.dir.file("via-symlink.sqlite")
        try FileManager.default.createSymbolicLink(atPath: symlink, withDestinationPath: cluster.database)
        let hardLink = cluster.dir.file("via-hard-link.sqlite")
        try FileManager.default.linkItem(atPath: cluster.database, toPath: hardLink)

        let collect = try NegativeOptionTests.run(
            ["collect", "--trainer-url", cluster.trainerURL, "--db", symlink, "--plan", plan], in: cluster.dir.path)
        #expect(collect.status == 1, "\(collect.output)")
        #expect(collect.output.contains("another mmmbench process"), "\(collect.output)")

        let second = try NegativeOptionTests.run([
            "coordinator", "--listen", "127.0.0.1:0", "--db", hardLink, "--plan", plan,
            "--cert", cluster.dir.file("certs/coordinator.pem"), "--key", cluster.dir.file("certs/coordinator-key.pem"),
            "--ca", cluster.dir.file("certs/ca.pem"),
        ], in: cluster.dir.path)
        #expect(second.status == 1, "\(second.output)")
        #expect(second.output.contains("another mmmbench process"), "\(second.output)")
        #expect(!second.output.contains("listening"), "\(second.output)")

        let status = try NegativeOptionTests.run(["status", "--db", cluster.database], in: cluster.dir.path)
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("jobs: 9 total, 0 done"), "\(status.output)")
    }

    @Test("an agent whose trainer refuses connections burns no job; status names it")
    func unreachableTrainerAgent() async throws {
        let cluster = try await Cluster(agents: ["agent-1", "agent-2"], trainerArguments: ["--instant"])
        let plan = try cluster.plan(Self.planText)
        let (coordinator, port) = try await cluster.startCoordinator(plan: plan)
        defer { coordinator.signal(SIGKILL) }
        // Held closed for the whole test: a port only probed and freed could be taken by another test's server.
        let closedPort = try ClosedLoopbackPort()
        defer { closedPort.release() }
        let closed = closedPort.port
        let agent = try ChildProcess([
            "agent", "--coordinator", "127.0.0.1:\(port)", "--cert", cluster.dir.file("certs/agent-1.pem"),
            "--key", cluster.dir.file("certs/agent-1-key.pem"), "--ca", cluster.dir.file("certs/ca.pem"),
            "--trainer-url", "http://127.0.0.1:\(closed)", "--outbox", cluster.dir.file("agent-1.outbox"),
        ])
        defer { agent.signal(SIGKILL) }
        #expect(await agent.waitForLine(timeout: .seconds(60)) { $0.contains("cannot reach its trainer") } != nil,
                "\(agent.text)")
        #expect(await coordinator.waitForLine(timeout: .seconds(60)) {
            $0.contains("agent agent-1 cannot reach its trainer")
        } != nil, "\(coordinator.text)")
        let status = try NegativeOptionTests.run(["status", "--db", cluster.database], in: cluster.dir.path)
        #expect(status.status == 0)
        #expect(status.output.contains("agent-1: cannot connect to the trainer at http://127.0.0.1:\(closed)"),
                "\(status.output)")
        #expect(status.output.contains("failed measurements: 0"), "\(status.output)")
        #expect(status.output.contains("0 done"), "\(status.output)")

        // A second agent with a working trainer finishes the collection; the first never burnt a job.
        let good = try cluster.startAgent("agent-2", port: port)
        defer { good.signal(SIGKILL) }
        #expect(await coordinator.waitForExit(timeout: .seconds(120)) == 0, "\(coordinator.text)")
        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        let final = try store.status(collectionID: collection.id)
        #expect(final.done == 9 && final.failedMeasurements == 0 && final.harnessErrors == 0, "\(final)")
        #expect(try store.countedMetrics(collectionID: collection.id).allSatisfy { $0.agent == "agent-2" })
    }
}
