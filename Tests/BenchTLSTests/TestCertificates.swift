import Foundation
import NIOCore
import Testing

@testable import BenchTLS

/// A temporary directory with a complete certificate set made by ``CertificateAuthority``, removed on `deinit`.
///
/// - `ca.pem`/`ca-key.pem`: the CA
/// - `coordinator.pem`: server certificate for `localhost` and `127.0.0.1`
/// - `agent-1.pem`: client certificate with CN `agent-1`
final class TestCertificates {
    let directory: String
    let authority: CertificateAuthority
    let server: CertificateFiles
    let agent: CertificateFiles

    init() throws {
        directory = try Self.makeTemporaryDirectory()
        authority = try CertificateAuthority.create(in: directory)
        server = try authority.issueServerCertificate(subjectAlternativeNames: [.dns("localhost"), .ip("127.0.0.1")])
        agent = try authority.issueClientCertificate(agentName: "agent-1")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A fresh empty directory under the system temporary directory.
    static func makeTemporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("benchtls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func serverConfiguration(
        minimumVersion: TLSVersion = .v1_3, handshakeTimeout: TimeAmountSeconds = 10
    ) -> TLSConfiguration {
        TLSConfiguration(
            certificateChainPath: server.certificatePath, privateKeyPath: server.privateKeyPath,
            trustRootsPath: authority.certificatePath, minimumVersion: minimumVersion,
            handshakeTimeout: .milliseconds(Int64(handshakeTimeout * 1000)))
    }

    func clientConfiguration(identity: CertificateFiles? = nil, handshakeTimeout: TimeAmountSeconds = 10)
        -> TLSConfiguration
    {
        let identity = identity ?? agent
        return TLSConfiguration(
            certificateChainPath: identity.certificatePath, privateKeyPath: identity.privateKeyPath,
            trustRootsPath: authority.certificatePath,
            handshakeTimeout: .milliseconds(Int64(handshakeTimeout * 1000)))
    }

    func serverContext(minimumVersion: TLSVersion = .v1_3, handshakeTimeout: TimeAmountSeconds = 10) throws
        -> TLSContext
    {
        try TLSContext(
            configuration: serverConfiguration(minimumVersion: minimumVersion, handshakeTimeout: handshakeTimeout),
            role: .server)
    }

    func clientContext(
        identity: CertificateFiles? = nil, testing: TLSContext.TestingOptions = .init()
    ) throws -> TLSContext {
        try TLSContext(configuration: clientConfiguration(identity: identity), role: .client, testing: testing)
    }
}

/// Seconds as a plain number, for readable test parameters.
typealias TimeAmountSeconds = Double

extension TLSError.Code {
    /// Matches a thrown error against this code, for `#expect(throws:)` style checks.
    func matches(_ error: any Error) -> Bool {
        (error as? TLSError)?.code == self
    }
}
