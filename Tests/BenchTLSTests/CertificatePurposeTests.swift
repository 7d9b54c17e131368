import Foundation
import Testing

@testable import BenchTLS

/// A certificate whose extendedKeyUsage does not allow the role it is loaded for would fail every handshake (the
/// peer's OpenSSL checks the purpose); the context refuses it at load time, naming the file and the purpose.
@Suite("TLSContext refuses an own certificate issued for the other role")
struct CertificatePurposeTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates()
    }

    @Test("a coordinator given an agent certificate (clientAuth only) does not start")
    func serverWithClientCertificate() throws {
        var configuration = certificates.serverConfiguration()
        configuration.certificateChainPath = certificates.agent.certificatePath
        configuration.privateKeyPath = certificates.agent.privateKeyPath
        let error = try #require(throws: TLSError.self) {
            _ = try TLSContext(configuration: configuration, role: .server)
        }
        #expect(error.code == .wrongPurpose)
        #expect(error.file == certificates.agent.certificatePath)
        #expect(error.description.contains(certificates.agent.certificatePath))
        #expect(error.reason.contains("serverAuth"))
        #expect(error.reason.contains("clientAuth"))
    }

    @Test("an agent given the coordinator's certificate (serverAuth only) does not start")
    func clientWithServerCertificate() throws {
        let configuration = certificates.clientConfiguration(identity: certificates.server)
        let error = try #require(throws: TLSError.self) {
            _ = try TLSContext(configuration: configuration, role: .client)
        }
        #expect(error.code == .wrongPurpose)
        #expect(error.file == certificates.server.certificatePath)
        #expect(error.reason.contains("clientAuth"))
        #expect(error.reason.contains("serverAuth"))
    }

    @Test("each role loads the certificate the CA issued for it")
    func matchingPurposesLoad() throws {
        _ = try TLSContext(configuration: certificates.serverConfiguration(), role: .server)
        _ = try TLSContext(configuration: certificates.clientConfiguration(), role: .client)
    }
}
