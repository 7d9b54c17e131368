import Foundation
import Testing

@testable import BenchTLS

/// Our server against an independent TLS stack: the `openssl s_client` command line tool.
@Suite("Interoperability with openssl s_client", .enabled(if: ChildProcess.opensslPath != nil))
struct OpenSSLInteropTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates()
    }

    private func sClient(port: Int, extra: [String]) async throws -> ChildProcess.Output {
        let openssl = try #require(ChildProcess.opensslPath)
        let arguments = [
            "s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost",
            "-verify_hostname", "localhost", "-CAfile", certificates.authority.certificatePath,
            "-verify_return_error", "-quiet",
        ] + extra
        return try await ChildProcess.run(openssl, arguments, input: "ping\n")
    }

    @Test("s_client with the agent's certificate completes the handshake and exchanges data")
    func withCertificate() async throws {
        let server = try await LoopbackServer.start(
            context: try certificates.serverContext(), closeAfterFirstLine: true)
        let output = try await sClient(
            port: server.port,
            extra: ["-cert", certificates.agent.certificatePath, "-key", certificates.agent.privateKeyPath])
        let serverSide = try await server.nextHandshake()
        try await server.stop()

        #expect(try serverSide.get().commonName == "agent-1")
        #expect(output.standardOutput.contains("ping"))
        #expect(output.status == 0, "s_client stderr: \(output.standardError)")
    }

    @Test("s_client without a certificate is refused")
    func withoutCertificate() async throws {
        let server = try await LoopbackServer.start(
            context: try certificates.serverContext(), closeAfterFirstLine: true)
        let output = try await sClient(port: server.port, extra: [])
        let serverSide = try await server.nextHandshake()
        try await server.stop()

        #expect(serverSide.failure?.code == .peerCertificateMissing)
        #expect(!output.standardOutput.contains("ping"))
        #expect(output.standardError.contains("certificate required"), "s_client stderr: \(output.standardError)")
    }

    @Test("s_client limited to TLS 1.2 is refused by a server with the default 1.3 minimum")
    func tls12Refused() async throws {
        let server = try await LoopbackServer.start(context: try certificates.serverContext())
        let output = try await sClient(
            port: server.port,
            extra: [
                "-tls1_2", "-cert", certificates.agent.certificatePath, "-key", certificates.agent.privateKeyPath,
            ])
        let serverSide = try await server.nextHandshake()
        try await server.stop()

        #expect(serverSide.failure?.code == .handshakeFailed)
        #expect(output.status != 0)
        #expect(!output.standardOutput.contains("ping"))
    }

    @Test("openssl reads the extensions we promise and verifies each certificate for its purpose")
    func certificatesAsOpenSSLSeesThem() async throws {
        let openssl = try #require(ChildProcess.opensslPath)
        let ca = certificates.authority.certificatePath
        let extensions = "basicConstraints,keyUsage,extendedKeyUsage,subjectAltName,subjectKeyIdentifier,"
            + "authorityKeyIdentifier"

        let caText = try await ChildProcess.run(openssl, ["x509", "-in", ca, "-noout", "-text"]).standardOutput
        #expect(caText.contains("CA:TRUE"))
        #expect(caText.contains("Certificate Sign, CRL Sign"))
        #expect(caText.contains("ASN1 OID: prime256v1"))
        #expect(caText.contains("ecdsa-with-SHA256"))

        let agent = try await ChildProcess.run(
            openssl, ["x509", "-in", certificates.agent.certificatePath, "-noout", "-subject", "-ext", extensions])
        #expect(agent.standardOutput.contains("CN = agent-1"))
        #expect(agent.standardOutput.contains("CA:FALSE"))
        #expect(agent.standardOutput.contains("Digital Signature"))
        #expect(agent.standardOutput.contains("TLS Web Client Authentication"))
        #expect(agent.standardOutput.contains("DNS:agent-1"))
        #expect(agent.standardOutput.contains("X509v3 Subject Key Identifier"))
        #expect(agent.standardOutput.contains("X509v3 Authority Key Identifier"))

        let server = try await ChildProcess.run(
            openssl, ["x509", "-in", certificates.server.certificatePath, "-noout", "-ext", extensions])
        #expect(server.standardOutput.contains("TLS Web Server Authentication"))
        #expect(server.standardOutput.contains("DNS:localhost, IP Address:127.0.0.1"))

        let verifyClient = try await ChildProcess.run(
            openssl, ["verify", "-CAfile", ca, "-purpose", "sslclient", certificates.agent.certificatePath])
        #expect(verifyClient.status == 0, "\(verifyClient.standardOutput) \(verifyClient.standardError)")
        let verifyServer = try await ChildProcess.run(
            openssl, ["verify", "-CAfile", ca, "-purpose", "sslserver", certificates.server.certificatePath])
        #expect(verifyServer.status == 0, "\(verifyServer.standardOutput) \(verifyServer.standardError)")
        let agentAsServer = try await ChildProcess.run(
            openssl, ["verify", "-CAfile", ca, "-purpose", "sslserver", certificates.agent.certificatePath])
        #expect(agentAsServer.status != 0)
    }

    @Test("the plain-openssl recipe of certs-example/make-certs.sh makes a set our client and server accept")
    func certsExampleScript() async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = repository.appendingPathComponent("certs-example/make-certs.sh").path
        let root = try TestCertificates.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = root + "/set"
        let made = try await ChildProcess.run("/bin/sh", [script, "openssl", directory])
        #expect(made.status == 0, "\(made.standardOutput) \(made.standardError)")

        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/agent-1-key.pem")
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        let again = try await ChildProcess.run("/bin/sh", [script, "openssl", directory])
        #expect(again.status != 0)
        #expect(again.standardError.contains("exists"))

        func context(_ name: String, _ role: TLSRole) throws -> TLSContext {
            try TLSContext(
                configuration: TLSConfiguration(
                    certificateChainPath: "\(directory)/\(name).pem", privateKeyPath: "\(directory)/\(name)-key.pem",
                    trustRootsPath: "\(directory)/ca.pem"),
                role: role)
        }
        let server = try await LoopbackServer.start(context: try context("coordinator", .server))
        let outcome = try await runClient(context: try context("agent-2", .client), port: server.port)
        let serverSide = try await server.nextHandshake()
        try await server.stop()
        #expect(outcome.tlsError == nil)
        #expect(outcome.received == Array("ping".utf8))
        #expect(try serverSide.get().commonName == "agent-2")
    }
}
