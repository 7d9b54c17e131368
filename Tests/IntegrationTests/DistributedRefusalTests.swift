import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchTLS
import BenchWire
import Foundation
import NIOCore
import Testing
import TestTiming

/// Whether the `openssl` command-line tool is installed (used as an independent, misbehaving TLS client).
private let opensslAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")

/// Agents that must be refused, and one bad agent that must not disturb the others.
@Suite("Distributed collection: refusals and bad agents", .serialized)
struct DistributedRefusalTests {
    static let planText = """
        days: 1
        job_gap_seconds: 0
        jobs: [{type: small, iterations: 20, trials: 2, countries: [fr, de, uk]}]
        """

    /// A frame: 4-byte big-endian length, then the bytes.
    static func frame(_ body: [UInt8]) -> [UInt8] {
        let n = UInt32(body.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + body
    }

    /// Runs `openssl s_client` with an agent certificate and writes `bytes` once the handshake is done.
    static func rawClient(_ cluster: Cluster, port: Int, cert: String, bytes: [UInt8]) async throws -> ChildProcess {
        let input = cluster.dir.file("\(cert)-input.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: input))
        // `-ign_eof` keeps reading the server after stdin ends, so the client sees the server close the connection.
        let client = try ChildProcess(
            ["-c", "cat \(input) | openssl s_client -connect 127.0.0.1:\(port) -quiet -ign_eof "
                + "-cert \(cluster.certs)/\(cert).pem -key \(cluster.certs)/\(cert)-key.pem -CAfile \(cluster.certs)/ca.pem "
                + "-verify_return_error -servername 127.0.0.1"],
            executable: "/bin/sh")
        return client
    }

    @Test("not on the allow-list, another CA, someone else's attempt, a malformed frame: refused, logged, the rest finishes",
          .enabled(if: opensslAvailable, "needs the openssl command-line tool"))
    func refusals() async throws {
        let cluster = try await Cluster(agents: ["agent-1", "agent-2", "agent-3", "agent-4"])
        let planPath = try cluster.plan(Self.planText)
        let (coordinator, port) = try await cluster.startCoordinator(
            plan: planPath,
            extra: ["--allow-agent", "agent-1", "--allow-agent", "agent-3", "--allow-agent", "agent-4",
                    // Short leases so the jobs assigned to the refused sessions come back quickly; a heartbeat
                    // timeout long enough for the test's own hand-driven client on a loaded machine. Both scaled
                    // (TestTiming): under TSan the hand-driven agent-3, which never runs what it is given, held a
                    // job through three 5 s leases and used up its attempts.
                    "--lease-seconds", "\(Int(TestTiming.seconds(5)))", "--heartbeat-interval-ms", "200",
                    "--heartbeat-timeout-ms", "\(TestTiming.milliseconds(15_000))"])

        // 1. A valid certificate whose name is not on the allow-list: rejected (not_allowed), the agent stops.
        let stranger = try cluster.startAgent("agent-2", port: port)
        #expect(await stranger.waitForExit(timeout: .seconds(30)).map { $0 != 0 } == true, "\(stranger.text)")
        #expect(stranger.text.contains("not_allowed"))
        #expect(await coordinator.waitForLine(timeout: .seconds(60)) { $0.contains("agent-2") && ($0.contains("refused") || $0.contains("reject")) } != nil,
                "\(coordinator.text)")

        // 2. A certificate from another CA: the TLS handshake fails; the coordinator logs it.
        try await Cluster.run(["certs", "init", "--dir", cluster.dir.file("other-ca")])
        try await Cluster.run(["certs", "agent", "--dir", cluster.dir.file("other-ca"), "--name", "agent-1"])
        let impostor = try ChildProcess([
            "agent", "--coordinator", "127.0.0.1:\(port)", "--cert", cluster.dir.file("other-ca/agent-1.pem"),
            "--key", cluster.dir.file("other-ca/agent-1-key.pem"), "--ca", cluster.dir.file("certs/ca.pem"),
            "--trainer-url", cluster.trainerURL, "--outbox", cluster.dir.file("impostor.outbox"),
        ])
        #expect(await impostor.waitForLine(timeout: .seconds(30)) { $0.lowercased().contains("tls") } != nil,
                "\(impostor.text)")
        impostor.signal(SIGKILL)
        #expect(await coordinator.waitForLine(timeout: .seconds(60)) { $0.contains("connection from") && $0.contains("failed") } != nil)

        // 3. An allowed agent reporting an attempt that was never its own: answered `ack` `refused` with the reason,
        // logged, never counted.
        let tls = try TLSContext(configuration: TLSConfiguration(
            certificateChainPath: cluster.dir.file("certs/agent-3.pem"),
            privateKeyPath: cluster.dir.file("certs/agent-3-key.pem"),
            trustRootsPath: cluster.dir.file("certs/ca.pem")), role: .client)
        let connection = try await WireClient.connect(host: "127.0.0.1", port: port, tlsContext: tls,
                                                      serverHostname: "127.0.0.1")
        let foreign = TaskRef(taskID: "baseline-1-1-fr", attempt: 7)
        let (acks, ended) = try await connection.channel.executeThenClose {
            inbound, outbound -> ([WireMessage.Ack], String?) in
            try await outbound.write(.hello(.init(agentID: "agent-3", slots: 1)))
            var acks: [WireMessage.Ack] = []
            var sent = false
            do {
                for try await message in inbound {
                    if case .welcome = message, !sent {
                        sent = true
                        try await outbound.write(.result(.init(task: foreign, outcome: .object(["success": .bool(true)]),
                                                               finishedAt: .now())))
                    }
                    if case .ack(let ack) = message {
                        acks.append(ack)
                        if ack.task == foreign { break }
                    }
                    if case .bye = message { break }
                }
            } catch {
                return (acks, "the connection ended: \(error)")
            }
            return (acks, nil)
        }
        #expect(acks.count == 1, "\(ended ?? "")\n\(coordinator.text)")
        #expect(acks.first?.task == foreign && acks.first?.status == .refused)
        #expect(acks.first?.reason?.contains("not a train measurement") == true, "\(acks)")
        #expect(await coordinator.waitForLine(timeout: .seconds(60)) { $0.contains("refused result") && $0.contains("agent-3") } != nil)

        // 4. A malformed frame after a valid hello closes only that connection.
        let hello = Array(#"{"type":"hello","protocol_version":1,"agent_id":"agent-4","slots":1,"labels":{},"running":[],"queued_results":[]}"#.utf8)
        let garbage = try await Self.rawClient(cluster, port: port, cert: "agent-4",
                                               bytes: Self.frame(hello) + Self.frame(Array("not json".utf8)))
        #expect(await garbage.waitForExit(timeout: .seconds(30)) != nil, "the coordinator must close the bad connection")
        #expect(await coordinator.waitForLine(timeout: .seconds(60)) { $0.contains("protocol error") && $0.contains("agent-4") } != nil)

        // The allowed, well-behaved agent finishes the whole collection.
        let good = try cluster.startAgent("agent-1", port: port)
        #expect(await coordinator.waitForExit(timeout: .seconds(120)) == 0, "coordinator:\n\(coordinator.text)")
        _ = await good.waitForExit(timeout: .seconds(30))
        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        let metrics = try store.countedMetrics(collectionID: collection.id)
        #expect(metrics.map(\.jobID) == (try PlanLoader.load(text: Self.planText)).expandJobs().map(\.id))
        #expect(metrics.allSatisfy { $0.success && $0.agent == "agent-1" },
                "\(metrics.map { "\($0.jobID) by \($0.agent): success \($0.success) \($0.errorMessage ?? "")" })")
        #expect(try store.resultCount(collectionID: collection.id, jobID: "baseline-1-1-fr", countedOnly: false) == 1)
    }

    @Test("an agent restarted with its outbox after the coordinator acknowledged nothing: every result counted once")
    func outboxResend() async throws {
        // Jobs of about a second each, so the coordinator can be frozen while they run.
        let cluster = try await Cluster(agents: ["agent-1"], trainerArguments: ["--work-scale", "0.5"])
        let planPath = try cluster.plan(Self.planText)
        // A lease far longer than the test: the frozen coordinator renews nothing, and a lease that ran out while it
        // was stopped would (rightly) re-dispatch the job; what this test proves is the outbox's resend.
        let lease = ["--lease-seconds", "600"]
        let (coordinator, port) = try await cluster.startCoordinator(plan: planPath, extra: lease)
        // Debug level for the agent's `started` lines.
        let first = try cluster.startAgent("agent-1", port: port, slots: 3, extra: ["--log-level", "debug"])
        // Wait until the agent runs all three, not only until the coordinator committed their leases: frozen between
        // committing a lease and sending its `assign` (a wide window under a sanitizer), the coordinator would leave
        // the agent nothing to run, and the agent would sit idle until the wait below ran out.
        let running = await first.waitForLines(3, timeout: .seconds(120)) { $0.contains("agent agent-1 started ") }
        try #require(running, "the agent did not start all three jobs:\n\(first.text)")
        // Freeze the coordinator: from now on it acknowledges nothing until it is resumed.
        coordinator.signal(SIGSTOP)
        // Each "finished" line is logged once the result is committed to the agent's outbox.
        for country in ["fr", "de", "uk"] {
            let line = await first.waitForLine(timeout: .seconds(60)) { $0.contains("finished baseline-1-1-\(country)") }
            #expect(line != nil, "\(first.text)")
        }
        first.signal(SIGKILL)
        _ = await first.waitForExit(timeout: .seconds(10))
        // The coordinator dies without ever having read those results: nothing was committed or acknowledged.
        coordinator.signal(SIGKILL)
        _ = await coordinator.waitForExit(timeout: .seconds(10))
        let committedBefore = try cluster.store().status(
            collectionID: try #require(try cluster.store().currentCollection()).id).done
        #expect(committedBefore == 0)

        let (restarted, _) = try await cluster.startCoordinator(plan: planPath, extra: ["--listen", "127.0.0.1:\(port)"] + lease)
        let second = try cluster.startAgent("agent-1", port: port, slots: 3)
        #expect(await restarted.waitForExit(timeout: .seconds(120)) == 0, "coordinator:\n\(restarted.text)")
        _ = await second.waitForExit(timeout: .seconds(30))
        #expect(second.text.contains("resent 3 unacknowledged"),
                "the restarted agent resends its outbox:\n\(second.text)")

        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        for id in ["baseline-1-1-fr", "baseline-1-1-de", "baseline-1-1-uk"] {
            #expect(try store.resultCount(collectionID: collection.id, jobID: id, countedOnly: true) == 1)
        }
        // Nothing was run twice: each job reached the trainer once.
        #expect(try cluster.trainRequests() == ["baseline-1-1-fr": 1, "baseline-1-1-de": 1, "baseline-1-1-uk": 1])
    }
}
