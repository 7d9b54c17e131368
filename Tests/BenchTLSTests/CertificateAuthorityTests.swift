import Foundation
import Testing

@testable import BenchTLS

@Suite("CertificateAuthority: files, modes, names, extensions")
struct CertificateAuthorityTests {
    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    @Test("init, coordinator and agent write the expected files; keys are 0600, certificates 0644")
    func filesAndModes() throws {
        let root = try TestCertificates.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = root + "/nested/certs"
        let authority = try CertificateAuthority.create(in: directory)
        let server = try authority.issueServerCertificate(
            subjectAlternativeNames: try SubjectAlternativeName.parseList("host1,10.0.0.5"))
        let agent = try authority.issueClientCertificate(agentName: "agent-1")

        #expect(authority.certificatePath == directory + "/ca.pem")
        #expect(authority.privateKeyPath == directory + "/ca-key.pem")
        #expect(server == CertificateFiles(
            certificatePath: directory + "/coordinator.pem", privateKeyPath: directory + "/coordinator-key.pem"))
        #expect(agent == CertificateFiles(
            certificatePath: directory + "/agent-1.pem", privateKeyPath: directory + "/agent-1-key.pem"))
        for key in [authority.privateKeyPath, server.privateKeyPath, agent.privateKeyPath] {
            #expect(try mode(key) == 0o600, "\(key)")
        }
        for certificate in [authority.certificatePath, server.certificatePath, agent.certificatePath] {
            #expect(try mode(certificate) == 0o644, "\(certificate)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test("existing files are never overwritten without force, and nothing is half-written")
    func refusesToOverwrite() throws {
        let directory = try TestCertificates.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let authority = try CertificateAuthority.create(in: directory)
        let originalCA = try String(contentsOfFile: authority.certificatePath, encoding: .utf8)
        let agent = try authority.issueClientCertificate(agentName: "agent-1")
        let originalAgent = try String(contentsOfFile: agent.certificatePath, encoding: .utf8)

        #expect { try CertificateAuthority.create(in: directory) } throws: { TLSError.Code.fileExists.matches($0) }
        #expect { _ = try authority.issueClientCertificate(agentName: "agent-1") } throws: {
            TLSError.Code.fileExists.matches($0)
        }
        #expect(try String(contentsOfFile: authority.certificatePath, encoding: .utf8) == originalCA)
        #expect(try String(contentsOfFile: agent.certificatePath, encoding: .utf8) == originalAgent)

        // Only the key left over (say, after a manual delete of the certificate) still blocks the pair.
        try FileManager.default.removeItem(atPath: agent.certificatePath)
        #expect { _ = try authority.issueClientCertificate(agentName: "agent-1") } throws: {
            TLSError.Code.fileExists.matches($0)
        }
        #expect(!FileManager.default.fileExists(atPath: agent.certificatePath))

        let replaced = try authority.issueClientCertificate(agentName: "agent-1", force: true)
        #expect(try mode(replaced.privateKeyPath) == 0o600)
        let recreated = try CertificateAuthority.create(in: directory, force: true)
        #expect(recreated.certificatePath == authority.certificatePath)
        #expect(try String(contentsOfFile: authority.certificatePath, encoding: .utf8) != originalCA)
    }

    @Test("a missing CA is a clear error naming the directory")
    func missingAuthority() throws {
        let directory = try TestCertificates.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = try #require(throws: TLSError.self) { try CertificateAuthority(directory: directory) }
        #expect(error.code == .authorityNotFound)
        #expect(error.description.contains(directory))
    }

    @Test("bad agent names are refused", arguments: [
        "", "-agent", "agent-", "agent 1", "agent/1", "../agent", "a..b", "ca", "coordinator", "agent-key",
        "agent_1", String(repeating: "a", count: 64),
    ])
    func badAgentNames(name: String) throws {
        let error = try #require(throws: TLSError.self) { try CertificateAuthority.validateAgentName(name) }
        #expect(error.code == .invalidName)
    }

    @Test("good agent names are accepted", arguments: ["agent-1", "a", "host.rack-2.dc1", "Agent7"])
    func goodAgentNames(name: String) throws {
        try CertificateAuthority.validateAgentName(name)
    }

    @Test("SAN lists parse DNS names and IP literals; junk is refused")
    func subjectAlternativeNames() throws {
        #expect(try SubjectAlternativeName.parseList("host1,10.0.0.5,::1, coordinator.example.net") == [
            .dns("host1"), .ip("10.0.0.5"), .ip("::1"), .dns("coordinator.example.net"),
        ])
        for bad in ["", "host1,", "bad host", "10.0.0.300:1", "host_1", "-host", "a..b", "fe80::zz"] {
            #expect(throws: TLSError.self, "\(bad)") { _ = try SubjectAlternativeName.parseList(bad) }
        }
        #expect(throws: TLSError.self) {
            _ = try CertificateAuthority(directory: "/nonexistent").issueServerCertificate(subjectAlternativeNames: [])
        }
    }

    @Test("issued certificates carry the identity the handler reports")
    func identityOfIssuedCertificates() throws {
        let certificates = try TestCertificates()
        let identity = try TLSPeerIdentity(certificateAt: certificates.agent.certificatePath)
        #expect(identity.commonName == "agent-1")
        #expect(identity.dnsNames == ["agent-1"])
        #expect(identity.ipAddresses.isEmpty)

        let server = try TLSPeerIdentity(certificateAt: certificates.server.certificatePath)
        #expect(server.ipAddresses == ["127.0.0.1"])
        #expect(server.dnsNames == ["localhost"])
        #expect(server.commonName == "localhost")
        #expect(server.fingerprintSHA256.count == 64 && server.fingerprintSHA256 != identity.fingerprintSHA256)
    }

    @Test("an empty validity window is refused")
    func invalidValidity() throws {
        let certificates = try TestCertificates()
        let now = Date()
        #expect {
            _ = try certificates.authority.issueClientCertificate(
                agentName: "agent-2", validity: CertificateValidity(notBefore: now, notAfter: now))
        } throws: { TLSError.Code.invalidValidity.matches($0) }
    }
}
