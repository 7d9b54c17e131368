import Foundation
import Testing

/// `coordinator --http HOST:PORT --http-tls` (the mode every non-loopback address gets): the status endpoint speaks
/// TLS with the coordinator's certificate and serves only clients that present a certificate of the deployment's CA.
/// Checked with curl, as an operator would.
@Suite("Status endpoint over mutual TLS", .serialized)
struct StatusMutualTLSTests {
    struct Curl {
        let status: Int32
        let body: String
        let errors: String
    }

    static func curl(_ arguments: [String]) async throws -> Curl {
        let curl = try #require(["/usr/bin/curl", "/usr/local/bin/curl"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }, "curl is needed for this test (Debian's curl package)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: curl)
        process.arguments = ["--silent", "--show-error", "--max-time", "60"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let body = output.fileHandleForReading.readDataToEndOfFile()
        let messages = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Curl(status: process.terminationStatus, body: String(decoding: body, as: UTF8.self),
                    errors: String(decoding: messages, as: UTF8.self))
    }

    @Test("without a client certificate, or with one of another CA, nothing is served; an agent's certificate gets /status")
    func clientCertificateRequired() async throws {
        let cluster = try await Cluster(agents: ["agent-1"])
        try await Cluster.run(["certs", "init", "--dir", cluster.dir.file("other")])
        try await Cluster.run(["certs", "agent", "--dir", cluster.dir.file("other"), "--name", "intruder"])
        let plan = try cluster.plan("days: 1\n")
        let (coordinator, _) = try await cluster.startCoordinator(
            plan: plan, extra: ["--http", "127.0.0.1:0", "--http-tls"])
        defer { coordinator.signal(SIGTERM) }
        let port = try await MetricsEndpointTests.listeningPort(coordinator,
                                                                "status page listening on https://127.0.0.1:")
        let url = "https://127.0.0.1:\(port)/status"
        let ca = ["--cacert", cluster.dir.file("certs/ca.pem")]

        let anonymous = try await Self.curl(ca + ["--fail", url])
        #expect(anonymous.status != 0 && !anonymous.body.contains("progress"),
                "served without a client certificate: \(anonymous)")
        let stranger = try await Self.curl(ca + [
            "--fail", "--cert", cluster.dir.file("other/intruder.pem"), "--key", cluster.dir.file("other/intruder-key.pem"),
            url,
        ])
        #expect(stranger.status != 0 && !stranger.body.contains("progress"),
                "served a certificate of another CA: \(stranger)")
        let plain = try await Self.curl(["--fail", "http://127.0.0.1:\(port)/status"])
        #expect(plain.status != 0 && !plain.body.contains("progress"), "served plain HTTP: \(plain)")

        let agent = try await Self.curl(ca + [
            "--fail", "--cert", cluster.dir.file("certs/agent-1.pem"), "--key", cluster.dir.file("certs/agent-1-key.pem"),
            url,
        ])
        #expect(agent.status == 0, "curl with the agent's certificate: \(agent)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(agent.body.utf8)) as? [String: Any])
        let progress = try #require(object["progress"] as? [String: Any])
        #expect(progress["total"] as? Int == 9 && progress["done"] as? Int == 0)
        let metrics = try await Self.curl(ca + [
            "--fail", "--cert", cluster.dir.file("certs/agent-1.pem"), "--key", cluster.dir.file("certs/agent-1-key.pem"),
            "https://127.0.0.1:\(port)/metrics",
        ])
        #expect(metrics.status == 0 && metrics.body.contains(#"mmmbench_jobs{state="pending"} 9"#), "\(metrics)")

        // docs/operations.md's curl command, with this cluster's files and address and agent-1 as the scraper.
        let documented = try OperationsDocs.fencedBlock("### Live status: `--http`", language: "sh")
        let command = try #require(documented.split(separator: "\n").first { $0.hasPrefix("curl ") })
        let arguments = command.split(separator: " ").dropFirst().map { word in
            String(word).replacingOccurrences(of: "certs/prometheus", with: cluster.dir.file("certs/agent-1"))
                .replacingOccurrences(of: "certs/ca.pem", with: cluster.dir.file("certs/ca.pem"))
                .replacingOccurrences(of: "coord.example.net:9443", with: "127.0.0.1:\(port)")
        }
        let fromDocs = try await Self.curl(arguments)
        #expect(fromDocs.status == 0 && fromDocs.body.contains("# TYPE mmmbench_jobs gauge"), "\(fromDocs)")
    }
}
