import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import BenchTLS

@Suite("OpenSSLHandler over real loopback TCP (NIOPosix)")
struct LoopbackTLSTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates()
    }

    @Test("mutual TLS succeeds; both sides see the other's certificate identity; data is echoed")
    func success() async throws {
        let server = try await LoopbackServer.start(context: try certificates.serverContext())
        let outcome = try await runClient(context: try certificates.clientContext(), port: server.port)
        let serverSide = try await server.nextHandshake()
        try await server.stop()

        #expect(outcome.tlsError == nil)
        #expect(outcome.received == Array("ping".utf8))
        #expect(outcome.peer?.dnsNames == ["localhost"])
        #expect(try serverSide.get().commonName == "agent-1")
    }

    @Test("the client can verify the server by IP address SAN")
    func ipAddressName() async throws {
        let server = try await LoopbackServer.start(context: try certificates.serverContext())
        let outcome = try await runClient(
            context: try certificates.clientContext(), serverHostname: "127.0.0.1", port: server.port)
        try await server.stop()
        #expect(outcome.tlsError == nil)
        #expect(outcome.received == Array("ping".utf8))
    }

    @Test("a client without a certificate is rejected; the client learns it on its first read")
    func clientWithoutCertificate() async throws {
        let server = try await LoopbackServer.start(context: try certificates.serverContext())
        let outcome = try await runClient(
            context: try certificates.clientContext(testing: .init(presentCertificate: false)), port: server.port)
        let serverSide = try await server.nextHandshake()
        try await server.stop()

        #expect(outcome.received.isEmpty)
        let clientError = try #require(outcome.tlsError)
        #expect(clientError.code == .rejectedByPeer)
        #expect(clientError.reason.contains("certificate required"))
        #expect(serverSide.failure?.code == .peerCertificateMissing)
    }

    @Test("a client certificate from another CA is rejected")
    func clientFromAnotherAuthority() async throws {
        let otherDirectory = try TestCertificates.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: otherDirectory) }
        let otherAuthority = try CertificateAuthority.create(in: otherDirectory, commonName: "Other CA")
        let intruder = try otherAuthority.issueClientCertificate(agentName: "agent-1")

        let server = try await LoopbackServer.start(context: try certificates.serverContext())
        let outcome = try await runClient(
            context: try certificates.clientContext(identity: intruder), port: server.port)
        let serverSide = try await server.nextHandshake()
        try await server.stop()

        #expect(outcome.received.isEmpty)
        #expect(outcome.tlsError?.code == .rejectedByPeer)
        #expect(outcome.tlsError?.reason.lowercased().contains("unknown ca") == true)
        #expect(serverSide.failure?.code == .certificateVerificationFailed)
        #expect(serverSide.failure?.reason.contains("local issuer") == true)
    }

    @Test("an expired client certificate is rejected by the server (and refused when loaded as our own)")
    func expiredCertificate() async throws {
        let past = Date().addingTimeInterval(-30 * 86_400)
        let expired = try certificates.authority.issueClientCertificate(
            agentName: "old-agent",
            validity: CertificateValidity(notBefore: past, notAfter: past.addingTimeInterval(86_400)))

        #expect {
            _ = try certificates.clientContext(identity: expired)
        } throws: { TLSError.Code.certificateExpired.matches($0) }

        let server = try await LoopbackServer.start(context: try certificates.serverContext())
        let outcome = try await runClient(
            context: try certificates.clientContext(identity: expired, testing: .init(checkOwnValidity: false)),
            port: server.port)
        let serverSide = try await server.nextHandshake()
        try await server.stop()

        #expect(outcome.received.isEmpty)
        #expect(outcome.tlsError?.code == .rejectedByPeer)
        #expect(serverSide.failure?.code == .certificateVerificationFailed)
        #expect(serverSide.failure?.reason.contains("expired") == true)
    }

    @Test("the client rejects a server whose certificate does not carry the expected name", arguments: [
        "coordinator.example.net", "127.0.0.2",
    ])
    func serverNameMismatch(expectedName: String) async throws {
        let server = try await LoopbackServer.start(context: try certificates.serverContext())
        let outcome = try await runClient(
            context: try certificates.clientContext(), serverHostname: expectedName, port: server.port)
        let serverSide = try await server.nextHandshake()
        try await server.stop()

        #expect(outcome.received.isEmpty)
        #expect(outcome.peer == nil)
        #expect(outcome.tlsError?.code == .certificateVerificationFailed)
        #expect(outcome.tlsError?.reason.contains("mismatch") == true)
        #expect(serverSide.failure != nil)
    }

    @Test("an agent certificate cannot serve as the coordinator's (extendedKeyUsage is checked)")
    func agentCertificateAsServer() async throws {
        let misused = TLSConfiguration(
            certificateChainPath: certificates.agent.certificatePath,
            privateKeyPath: certificates.agent.privateKeyPath,
            trustRootsPath: certificates.authority.certificatePath)
        // Loading refuses it (CertificatePurposeTests); a server that skips that check is refused by the client.
        let server = try await LoopbackServer.start(
            context: try TLSContext(configuration: misused, role: .server, testing: .init(checkOwnPurpose: false)))
        let outcome = try await runClient(
            context: try certificates.clientContext(), serverHostname: "agent-1", port: server.port)
        _ = try await server.nextHandshake()
        try await server.stop()

        #expect(outcome.received.isEmpty)
        #expect(outcome.tlsError?.code == .certificateVerificationFailed)
        #expect(outcome.tlsError?.reason.contains("purpose") == true)
    }

    @Test("a TLS 1.2-only client is refused when the server's minimum is 1.3")
    func tls12ClientRefused() async throws {
        let server = try await LoopbackServer.start(context: try certificates.serverContext(minimumVersion: .v1_3))
        let outcome = try await runClient(
            context: try certificates.clientContext(testing: .init(maximumVersion: .v1_2)), port: server.port)
        let serverSide = try await server.nextHandshake()
        try await server.stop()

        #expect(outcome.received.isEmpty)
        #expect(outcome.tlsError?.code == .rejectedByPeer)
        #expect(outcome.tlsError?.reason.contains("protocol version") == true)
        #expect(serverSide.failure?.code == .handshakeFailed)
    }

    @Test("a TLS 1.2-only client is accepted when the server allows 1.2")
    func tls12ClientAllowed() async throws {
        let server = try await LoopbackServer.start(context: try certificates.serverContext(minimumVersion: .v1_2))
        let outcome = try await runClient(
            context: try certificates.clientContext(testing: .init(maximumVersion: .v1_2)), port: server.port)
        let serverSide = try await server.nextHandshake()
        try await server.stop()

        #expect(outcome.tlsError == nil)
        #expect(outcome.received == Array("ping".utf8))
        #expect(try serverSide.get().commonName == "agent-1")
    }

    @Test("the server closes a silent TCP peer when the handshake timeout passes")
    func handshakeTimeoutClosesSilentPeer() async throws {
        let server = try await LoopbackServer.start(context: try certificates.serverContext(handshakeTimeout: 0.2))
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let closed = eventLoop.makePromise(of: ClientOutcome.self)
        let channel = try await ClientBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ClientProbe(expected: .max, promise: closed))
                }
            }
            .connect(host: "127.0.0.1", port: server.port)
            .get()
        let future = closed.futureResult
        let outcome = try await withDeadline(20, "server closing a silent peer") { try await future.get() }
        let serverSide = try await server.nextHandshake()
        try? await channel.close()
        try await server.stop()

        #expect(outcome.received.isEmpty)
        #expect(serverSide.failure?.code == .handshakeTimeout)
    }
}
