import BenchStore
import Foundation
import Testing
import TestTiming

/// The deployment of docs/operations.md on five "hosts": coordinator, trainer and three agents, each in its own
/// network namespace with its own address (10.213.N.x, only inside these namespaces), joined by veth links to a
/// bridge. Certificates name the coordinator by its IP address. A full collection runs; after three results the
/// coordinator's link is cut until every agent has noticed, then restored; every job is counted exactly once.
@Suite("Deploy: several hosts in network namespaces", .serialized)
struct MultiHostTests {
    static let agents = ["agent-1", "agent-2", "agent-3"]

    @Test("a collection across five network namespaces survives the coordinator's link being cut and restored",
          .enabled(if: NetworkLab.availability.available || DeployTestSupport.isCI,
                   Comment(rawValue: NetworkLab.availability.reason)),
          .timeLimit(.minutes(TestTiming.minutes(5))))
    func collectionAcrossNamespaces() async throws {
        try #require(NetworkLab.availability.available, "\(NetworkLab.availability.reason)")
        let lab = try NetworkLab(hostNames: ["coordinator", "trainer"] + Self.agents)
        defer {
            lab.tearDown()
            #expect((try? lab.remainingNamespaces()) == [], "namespaces left behind")
        }
        let dir = try TemporaryDirectory()
        let coordinatorAddress = try lab.host("coordinator").address
        let trainerAddress = try lab.host("trainer").address
        try await Cluster.run(["certs", "init", "--dir", dir.file("certs")])
        try await Cluster.run(["certs", "coordinator", "--dir", dir.file("certs"), "--san", coordinatorAddress])
        for agent in Self.agents {
            try await Cluster.run(["certs", "agent", "--dir", dir.file("certs"), "--name", agent])
        }
        let planPath = dir.file("plan.yaml")
        try "days: 2\njob_gap_seconds: 0.3\nday_gap_seconds: 0.5\n".write(
            toFile: planPath, atomically: true, encoding: .utf8)

        var processes: [ChildProcess] = []
        defer { for process in processes { process.signal(SIGKILL) } }
        func start(_ host: String, _ arguments: [String]) throws -> ChildProcess {
            let (executable, argv) = try lab.mmmbench(on: host, arguments)
            let child = try ChildProcess(argv, executable: executable)
            processes.append(child)
            return child
        }

        let trainer = try start("trainer", ["trainer", "--listen", "\(trainerAddress):8080", "--work-scale", "0.02",
                                            "--log-level", "warning", "--request-log", dir.file("requests.jsonl")])
        #expect(await trainer.waitForLine { $0.hasPrefix("trainer listening on ") } != nil, "\(trainer.text)")
        let coordinator = try start("coordinator", [
            "coordinator", "--listen", "\(coordinatorAddress):7443", "--db", dir.file("collection.sqlite"),
            "--plan", planPath, "--cert", dir.file("certs/coordinator.pem"),
            "--key", dir.file("certs/coordinator-key.pem"), "--ca", dir.file("certs/ca.pem"),
            "--report-dir", dir.file("reports"), "--heartbeat-interval-ms", "500", "--heartbeat-timeout-ms", "5000",
            "--lease-seconds", "60",
        ] + Self.agents.flatMap { ["--allow-agent", $0] })
        let listening = await coordinator.waitForLine {
            $0.contains("coordinator listening on \(coordinatorAddress):7443")
        }
        try #require(listening != nil, "\(coordinator.text)")

        var agentProcesses: [String: ChildProcess] = [:]
        for agent in Self.agents {
            agentProcesses[agent] = try start(agent, [
                "agent", "--coordinator", "\(coordinatorAddress):7443", "--cert", dir.file("certs/\(agent).pem"),
                "--key", dir.file("certs/\(agent)-key.pem"), "--ca", dir.file("certs/ca.pem"),
                "--trainer-url", "http://\(trainerAddress):8080", "--slots", "1",
                "--outbox", dir.file("\(agent).outbox.sqlite"),
            ])
        }
        // Mid-run: three results committed, fifteen jobs to go.
        let third = await coordinator.waitForLine(timeout: .seconds(120)) { $0.contains("[3/18]") }
        try #require(third != nil, "no third result:\n\(coordinator.text)")
        try lab.setLink(of: "coordinator", up: false)
        for (agent, process) in agentProcesses {
            let noticed = await process.waitForLine(timeout: .seconds(60)) {
                $0.contains("agent \(agent) disconnected")
            }
            #expect(noticed != nil, "\(agent) never noticed the cut:\n\(process.text)")
        }
        try lab.setLink(of: "coordinator", up: true)

        let status = await coordinator.waitForExit(timeout: .seconds(180))
        #expect(status == 0, "coordinator:\n\(coordinator.text)")
        for (agent, process) in agentProcesses {
            #expect(await process.waitForExit(timeout: .seconds(60)) == 0, "\(agent):\n\(process.text)")
            let sessions = process.lines.filter {
                $0.contains("agent \(agent) connected to \(coordinatorAddress):7443")
            }
            #expect(sessions.count >= 2, "\(agent) did not reconnect after the cut:\n\(process.text)")
        }
        // The agents came from their own addresses, not loopback.
        for agent in Self.agents {
            let address = try lab.host(agent).address
            #expect(coordinator.lines.contains { $0.contains("agent \(agent) connected from \(address):") },
                    "\(agent) not seen from \(address)")
        }
        // Every job counted exactly once.
        let store = try BenchStore(path: dir.file("collection.sqlite"))
        let collection = try #require(try store.currentCollection())
        let final = try store.status(collectionID: collection.id)
        #expect(final.done == 18 && final.total == 18)
        for job in collection.plan.expandJobs() {
            #expect(try store.resultCount(collectionID: collection.id, jobID: job.id, countedOnly: true) == 1,
                    "\(job.id) not counted exactly once")
        }
        #expect(try store.countedMetrics(collectionID: collection.id).count == 18)
        let sessions = agentProcesses.mapValues { $0.lines.filter { $0.contains(" connected to ") }.count }
        print("multi-host: 18/18 jobs counted once; re-dispatched \(final.redispatched); "
              + "sessions per agent \(sessions)")
        trainer.signal(SIGTERM)
        _ = await trainer.waitForExit(timeout: .seconds(30))
    }
}
