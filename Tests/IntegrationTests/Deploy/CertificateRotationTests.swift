import BenchStore
import Foundation
import Testing

/// Certificates over a long collection, with real coordinator and agent processes on loopback: default lifetimes,
/// rotation on SIGHUP without dropping a session, a bad file on reload, and revocation with `--crl`.
@Suite("Deploy: certificate lifetimes, rotation and revocation")
struct CertificateRotationTests {
    /// `openssl x509 -noout -startdate -enddate` of a certificate, as dates.
    static func validity(of certificate: String) throws -> (notBefore: Date, notAfter: Date) {
        let run = try ToolRun.run("openssl", ["x509", "-noout", "-startdate", "-enddate", "-in", certificate])
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "MMM d HH:mm:ss yyyy zzz"
        var dates: [String: Date] = [:]
        for line in run.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let text = parts[1].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            dates[parts[0]] = formatter.date(from: text)
        }
        guard let notBefore = dates["notBefore"], let notAfter = dates["notAfter"] else {
            throw IntegrationError("openssl x509 printed no dates: \(run.stdout)\(run.stderr)")
        }
        return (notBefore, notAfter)
    }

    @Test("mmmbench certs: leaf certificates 90 days by default, --days overrides, the CA 10 years",
          .enabled(if: DeployTestSupport.toolOrCI("openssl"), "needs the openssl command"))
    func defaultLifetimes() async throws {
        let dir = try TemporaryDirectory()
        try await Cluster.run(["certs", "init", "--dir", dir.path])
        try await Cluster.run(["certs", "coordinator", "--dir", dir.path, "--san", "coord.example.net"])
        try await Cluster.run(["certs", "agent", "--dir", dir.path, "--name", "agent-1"])
        try await Cluster.run(["certs", "agent", "--dir", dir.path, "--name", "agent-2", "--days", "30"])
        let day = 86_400.0
        // Windows start 5 minutes before now (clock skew between hosts).
        let expected = [("ca.pem", 3650.0), ("coordinator.pem", 90), ("agent-1.pem", 90), ("agent-2.pem", 30)]
        for (file, days) in expected {
            let window = try Self.validity(of: dir.file(file))
            let length = window.notAfter.timeIntervalSince(window.notBefore)
            #expect(abs(length - (days * day + 300)) <= 2, "\(file): \(length / day) days")
        }
    }

    @Test("SIGHUP: a bad file is logged and kept out, a new certificate and CA are taken, the session goes on")
    func rotationOnSighup() async throws {
        let cluster = try await Cluster(agents: ["agent-1"])
        let certs2 = cluster.dir.file("certs2")
        try await Cluster.run(["certs", "init", "--dir", certs2, "--common-name", "mmmbench CA 2"])
        try await Cluster.run(["certs", "coordinator", "--dir", certs2, "--san", "127.0.0.1,localhost"])
        try await Cluster.run(["certs", "agent", "--dir", certs2, "--name", "agent-2"])
        // The coordinator reads its files from live/, which the test rewrites as an operator would.
        let live = cluster.dir.file("live")
        try FileManager.default.createDirectory(atPath: live, withIntermediateDirectories: true)
        for file in ["coordinator.pem", "coordinator-key.pem", "ca.pem"] {
            try FileManager.default.copyItem(atPath: cluster.dir.file("certs/\(file)"), toPath: "\(live)/\(file)")
        }
        // The second job needs the label only agent-2 carries: the collection cannot finish before agent-2, whose
        // certificate is from the second CA, gets in.
        let plan = try cluster.plan("""
            days: 1
            job_gap_seconds: 0
            jobs:
              - {type: small, iterations: 50, trials: 2, countries: [fr]}
              - {type: small, iterations: 50, trials: 2, countries: [de], labels: {ca: two}}
            """)
        let coordinator = try ChildProcess([
            "coordinator", "--listen", "127.0.0.1:0", "--db", cluster.database, "--plan", plan,
            "--cert", "\(live)/coordinator.pem", "--key", "\(live)/coordinator-key.pem", "--ca", "\(live)/ca.pem",
            "--report-dir", cluster.reportDir,
        ])
        let prefix = "coordinator listening on 127.0.0.1:"
        let line = try #require(await coordinator.waitForLine { $0.contains(prefix) }, "\(coordinator.text)")
        let portRange = try #require(line.range(of: prefix))
        let port = try #require(Int(line[portRange.upperBound...].prefix { $0.isNumber }))

        let agent1 = try cluster.startAgent("agent-1", port: port, slots: 1)
        #expect(await coordinator.waitForLine { $0.contains("result baseline-1-1-fr#1 from agent-1") } != nil,
                "\(coordinator.text)")
        let agent2 = try ChildProcess([
            "agent", "--coordinator", "127.0.0.1:\(port)", "--cert", "\(certs2)/agent-2.pem",
            "--key", "\(certs2)/agent-2-key.pem", "--ca", "\(certs2)/ca.pem", "--trainer-url", cluster.trainerURL,
            "--labels", "ca=two", "--outbox", cluster.dir.file("agent-2.outbox"),
        ])
        // Before the rotation agent-2 cannot get in (it does not trust the coordinator's certificate).
        let refused = await agent2.waitForLine {
            $0.contains("agent agent-2 cannot connect") || $0.contains("agent agent-2 disconnected")
        }
        #expect(refused != nil, "\(agent2.text)")

        // A broken key: the reload fails, is logged, and the previous files stay in use.
        try "not a key\n".write(toFile: "\(live)/coordinator-key.pem", atomically: true, encoding: .utf8)
        coordinator.signal(SIGHUP)
        let failed = await coordinator.waitForLine {
            $0.contains("coordinator TLS reload failed, keeping the previous certificates")
        }
        #expect(failed != nil, "\(coordinator.text)")
        #expect(coordinator.process.isRunning)

        // The rotation: the coordinator's certificate from the new CA, and both CAs trusted during the change.
        let ca1 = try String(contentsOfFile: cluster.dir.file("certs/ca.pem"), encoding: .utf8)
        let ca2 = try String(contentsOfFile: "\(certs2)/ca.pem", encoding: .utf8)
        try (ca1 + ca2).write(toFile: "\(live)/ca.pem", atomically: true, encoding: .utf8)
        for file in ["coordinator.pem", "coordinator-key.pem"] {
            try FileManager.default.removeItem(atPath: "\(live)/\(file)")
            try FileManager.default.copyItem(atPath: "\(certs2)/\(file)", toPath: "\(live)/\(file)")
        }
        coordinator.signal(SIGHUP)
        #expect(await coordinator.waitForLine { $0.contains("coordinator reloaded its TLS files") } != nil,
                "\(coordinator.text)")

        // agent-2 gets in on its next attempt, runs the labelled job, and the collection completes.
        #expect(await agent2.waitForLine(timeout: .seconds(90)) { $0.contains("agent agent-2 connected to") } != nil,
                "\(agent2.text)")
        #expect(await coordinator.waitForExit(timeout: .seconds(120)) == 0, "\(coordinator.text)")
        #expect(await agent1.waitForExit(timeout: .seconds(60)) == 0, "\(agent1.text)")
        #expect(await agent2.waitForExit(timeout: .seconds(60)) == 0, "\(agent2.text)")
        // agent-1's one session, opened before both reloads, lasted to the drain.
        #expect(agent1.lines.filter { $0.contains("agent agent-1 connected to") }.count == 1, "\(agent1.text)")
        let ends = coordinator.lines.filter { $0.contains("agent agent-1 disconnected") }
        #expect(ends.count == 1 && ends.allSatisfy { $0.contains("said bye: drained") }, "\(coordinator.text)")
        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        for job in collection.plan.expandJobs() {
            #expect(try store.resultCount(collectionID: collection.id, jobID: job.id, countedOnly: true) == 1)
        }
    }

    /// The `openssl ca` configuration of docs/tls.md ("Revoking an agent"), for a CA in `directory`.
    static func documentedCAConfiguration(directory: String) throws -> String {
        let doc = try DeployTestSupport.read("docs/tls.md")
        let section = try #require(doc.range(of: "## Revoking an agent"), "docs/tls.md has the revocation section")
        let rest = doc[section.upperBound...]
        let open = try #require(rest.range(of: "```\n[ ca ]\n"), "the section shows the openssl configuration")
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        let config = "[ ca ]\n" + rest[open.upperBound..<close.lowerBound]
        let line = "dir = /srv/mmmbench-ca"
        #expect(config.contains(line))
        return config.replacingOccurrences(of: line, with: "dir = \(directory)")
    }

    /// A CRL revoking `revoked`, made by `openssl ca` with the documented configuration and commands, run in the CA's
    /// directory `certs` (which holds ca.pem and ca-key.pem, as `mmmbench certs` leaves them).
    static func makeRevocationList(certs: String, revoked: String) throws -> String {
        try documentedCAConfiguration(directory: certs)
            .write(toFile: "\(certs)/openssl-ca.cnf", atomically: true, encoding: .utf8)
        let steps = [
            "touch index.txt && echo 1000 > crlnumber",
            "openssl ca -config openssl-ca.cnf -revoke \(revoked).pem",
            "openssl ca -config openssl-ca.cnf -gencrl -out crl.pem",
        ]
        for step in steps {
            let run = try ToolRun.run("/bin/sh", ["-ec", step], directory: certs)
            guard run.status == 0 else { throw IntegrationError("\(step): \(run.stderr)") }
        }
        return "\(certs)/crl.pem"
    }

    @Test("--crl: a revoked agent is refused, the others collect; a CRL of another CA is refused at start",
          .enabled(if: DeployTestSupport.toolOrCI("openssl"), "needs the openssl command"))
    func revokedAgentRefused() async throws {
        let cluster = try await Cluster(agents: ["agent-1", "agent-2"])
        let crl = try Self.makeRevocationList(certs: cluster.certs, revoked: "agent-2")
        let plan = try cluster.plan("days: 1\njob_gap_seconds: 0\n")
        let (coordinator, port) = try await cluster.startCoordinator(plan: plan, extra: ["--crl", crl])
        let revoked = try cluster.startAgent("agent-2", port: port, extra: ["--give-up-after", "8"])
        #expect(await coordinator.waitForLine { $0.contains("certificate revoked") } != nil, "\(coordinator.text)")
        let agent1 = try cluster.startAgent("agent-1", port: port)
        #expect(await coordinator.waitForExit(timeout: .seconds(120)) == 0, "\(coordinator.text)")
        #expect(await agent1.waitForExit(timeout: .seconds(60)) == 0, "\(agent1.text)")
        #expect(await revoked.waitForExit(timeout: .seconds(60)) == 1, "\(revoked.text)")
        #expect(!revoked.lines.contains { $0.contains("agent agent-2 connected to") }, "\(revoked.text)")
        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        #expect(try store.countedMetrics(collectionID: collection.id).allSatisfy { $0.agent == "agent-1" })
        #expect(try store.status(collectionID: collection.id).done == 9)

        // A CRL signed by another CA would make OpenSSL refuse every agent: the coordinator refuses to start.
        let other = cluster.dir.file("other")
        try await Cluster.run(["certs", "init", "--dir", other])
        try await Cluster.run(["certs", "agent", "--dir", other, "--name", "agent-9"])
        let foreign = try Self.makeRevocationList(certs: other, revoked: "agent-9")
        let refused = try ChildProcess([
            "coordinator", "--listen", "127.0.0.1:0", "--db", cluster.dir.file("second.sqlite"),
            "--cert", cluster.dir.file("certs/coordinator.pem"), "--key", cluster.dir.file("certs/coordinator-key.pem"),
            "--ca", cluster.dir.file("certs/ca.pem"), "--crl", foreign,
        ])
        #expect(await refused.waitForExit(timeout: .seconds(60)) == 1)
        #expect(refused.text.contains("not signed by the CA"), "\(refused.text)")
    }
}
