import Foundation
import Testing

@testable import BenchTLS

@Suite("TLSContext loading errors name the file and the reason")
struct TLSContextTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates()
    }

    private func load(_ configuration: TLSConfiguration, role: TLSRole = .server) throws(TLSError) {
        _ = try TLSContext(configuration: configuration, role: role)
    }

    @Test("valid server and client configurations load")
    func loads() throws {
        let server = try TLSContext(configuration: certificates.serverConfiguration(), role: .server)
        #expect(server.role == .server)
        #expect(server.configuration.minimumVersion == .v1_3)
        #expect(server.configuration.handshakeTimeout == .seconds(10))
        _ = try TLSContext(configuration: certificates.clientConfiguration(), role: .client)
    }

    @Test("a missing file is named", arguments: ["certificate chain", "private key", "trust roots"])
    func missingFile(field: String) throws {
        var configuration = certificates.serverConfiguration()
        let missing = certificates.directory + "/missing.pem"
        switch field {
        case "certificate chain": configuration.certificateChainPath = missing
        case "private key": configuration.privateKeyPath = missing
        default: configuration.trustRootsPath = missing
        }
        let error = try #require(throws: TLSError.self) { try load(configuration) }
        #expect(error.code == .fileNotFound)
        #expect(error.file == certificates.directory + "/missing.pem")
        #expect(error.description.contains("missing.pem"))
        #expect(error.operation == "load \(field)")
    }

    @Test("a key that belongs to another certificate is a key mismatch naming the key file")
    func keyMismatch() throws {
        var configuration = certificates.serverConfiguration()
        configuration.privateKeyPath = certificates.agent.privateKeyPath
        let error = try #require(throws: TLSError.self) { try load(configuration) }
        #expect(error.code == .keyMismatch)
        #expect(error.file == certificates.agent.privateKeyPath)
        #expect(!error.openSSLErrors.isEmpty)
    }

    @Test("an expired own certificate is refused at load time with its expiry date")
    func expiredOwnCertificate() throws {
        let past = Date().addingTimeInterval(-10 * 86_400)
        let expired = try certificates.authority.issueServerCertificate(
            subjectAlternativeNames: [.dns("localhost")], fileBaseName: "old-coordinator",
            validity: CertificateValidity(notBefore: past, notAfter: past.addingTimeInterval(3_600)))
        var configuration = certificates.serverConfiguration()
        configuration.certificateChainPath = expired.certificatePath
        configuration.privateKeyPath = expired.privateKeyPath
        let error = try #require(throws: TLSError.self) { try load(configuration) }
        #expect(error.code == .certificateExpired)
        #expect(error.file == expired.certificatePath)
        #expect(error.reason.contains("expired"))
    }

    @Test("a file that is not PEM is reported as such")
    func notPEM() throws {
        let garbage = certificates.directory + "/garbage.pem"
        try "not a certificate\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        var configuration = certificates.serverConfiguration()
        configuration.certificateChainPath = garbage
        #expect { try load(configuration) } throws: { TLSError.Code.invalidCertificate.matches($0) }

        configuration = certificates.serverConfiguration()
        configuration.privateKeyPath = garbage
        #expect { try load(configuration) } throws: { TLSError.Code.invalidPrivateKey.matches($0) }

        configuration = certificates.serverConfiguration()
        configuration.trustRootsPath = garbage
        #expect { try load(configuration) } throws: { TLSError.Code.invalidCertificate.matches($0) }
    }
}
