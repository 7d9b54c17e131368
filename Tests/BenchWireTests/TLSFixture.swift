import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire
import Foundation
import NIOCore
import NIOPosix
import TestTiming

/// Certificates in a temporary directory (made by BenchTLS's CA helpers) and the TLS contexts built from them.
/// The directory is removed when the fixture is released.
final class TLSFixture: Sendable {
    let directory: String
    let serverContext: TLSContext
    let clientContext: TLSContext

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("benchwire-\(UUID().uuidString)").path
        let authority = try CertificateAuthority.create(in: directory)
        let server = try authority.issueServerCertificate(subjectAlternativeNames: [.ip("127.0.0.1")])
        let agent = try authority.issueClientCertificate(agentName: "agent-1")
        serverContext = try TLSContext(
            configuration: TLSConfiguration(
                certificateChainPath: server.certificatePath,
                privateKeyPath: server.privateKeyPath,
                trustRootsPath: authority.certificatePath,
                handshakeTimeout: Self.handshakeTimeout
            ),
            role: .server
        )
        clientContext = try TLSContext(
            configuration: TLSConfiguration(
                certificateChainPath: agent.certificatePath,
                privateKeyPath: agent.privateKeyPath,
                trustRootsPath: authority.certificatePath,
                handshakeTimeout: Self.handshakeTimeout
            ),
            role: .client
        )
    }

    /// The product's 10 s handshake timeout scaled by `TestTiming` (a TSan run on a loaded machine once needed more).
    static let handshakeTimeout = TimeAmount.milliseconds(TestTiming.milliseconds(10_000))

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Connects a wire client to `port` on loopback.
    func connect(port: Int, configuration: WireConfiguration = WireConfiguration()) async throws -> WireConnection {
        try await WireClient.connect(
            host: "127.0.0.1",
            port: port,
            tlsContext: clientContext,
            serverHostname: "127.0.0.1",
            configuration: configuration
        )
    }

    /// Connects a TLS client that sends raw bytes (for malformed frames) and returns its byte channel.
    func connectRaw(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let context = clientContext
        let (channel, handshake) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = OpenSSLHandler(context: context, serverHostname: "127.0.0.1")
                    try channel.pipeline.syncOperations.addHandler(tls)
                    let wrapped = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    return (wrapped, tls.handshakeCompleted)
                }
            }
        _ = try await handshake.get()
        return channel
    }
}

struct DeadlineExceeded: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "no result within \(seconds) s" }
}

/// Runs `body`, failing with ``DeadlineExceeded`` if it has not finished within `seconds` (scaled by `TestTiming`).
/// Used to bound every wait on a network event; it never delays a test that succeeds.
func withDeadline<T: Sendable>(
    seconds: Double = 90,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let seconds = TestTiming.seconds(seconds)
    return try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw DeadlineExceeded(seconds: seconds)
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw DeadlineExceeded(seconds: seconds) }
        return result
    }
}
