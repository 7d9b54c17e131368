import ArgumentParser
import BenchTLS
import Foundation
import NIOCore
import NIOPosix

/// `mmmbench-bench tls`: TLS handshake rate and memory per idle connection.
struct TLSBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "Mutual-TLS handshakes per second on loopback (vs. openssl s_time) and memory per idle connection."
    )

    @Option(help: "Full handshakes to time per concurrency level.")
    var handshakes = 2_000

    @Option(help: "Connections handshaking at once in the concurrent run.")
    var concurrency = 16

    @Option(help: "Idle established connections to hold open for the memory figure.")
    var idleConnections = 1_000

    @Option(help: "Seconds each `openssl s_time` run lasts (0 skips the OpenSSL comparison).")
    var opensslSeconds = 5

    func run() async throws {
        try await TLSBenchmark.run(
            handshakes: handshakes, concurrency: concurrency, idleConnections: idleConnections,
            opensslSeconds: opensslSeconds)
    }
}

/// Benchmarks of BenchTLS on loopback, client and server in this process (both sides' CPU is spent here):
///
/// 1. full mutual-TLS 1.3 handshakes per second (P-256 certificates, X25519 key exchange, no resumption),
///    one at a time and `concurrency` at a time;
/// 2. for comparison, `openssl s_time -new` against `openssl s_server` and against our server, when `openssl`
///    is installed (same certificates, same machine);
/// 3. resident memory per idle established connection with `idleConnections` open: VmRSS from /proc/self/status
///    before and after, divided by the number of connections. Each connection is a *pair* (our client and our
///    server side, both in this process), so the figure is per pair.
enum TLSBenchmark {
    struct BenchmarkError: Error, CustomStringConvertible {
        let reason: String
        var description: String { "TLS benchmark: \(reason)" }
    }

    /// Runs all measurements and prints them.
    static func run(handshakes: Int, concurrency: Int, idleConnections: Int, opensslSeconds: Int) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-tls-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let authority = try CertificateAuthority.create(in: directory, commonName: "mmmbench TLS benchmark CA")
        let serverFiles = try authority.issueServerCertificate(subjectAlternativeNames: [.ip("127.0.0.1")])
        let agentFiles = try authority.issueClientCertificate(agentName: "bench-agent")
        let serverContext = try TLSContext(configuration: configuration(serverFiles, authority), role: .server)
        let clientContext = try TLSContext(configuration: configuration(agentFiles, authority), role: .client)

        let server = try await TLSBenchmarkServer.start(context: serverContext)
        defer { server.channel.close(promise: nil) }
        let serverPort = server.port
        emit("BenchTLS on loopback, client and server in one process (\(TLSContext.openSSLVersion))")

        _ = try await handshakeRate(count: min(200, handshakes), concurrency: 4, port: server.port,
                                    context: clientContext)  // warm-up
        for level in [1, concurrency] {
            let (seconds, rate) = try await handshakeRate(
                count: handshakes, concurrency: level, port: server.port, context: clientContext)
            emit("  handshakes, \(level) at a time: \(handshakes) in \(format(seconds, 2)) s = \(format(rate, 0))/s")
        }

        if opensslSeconds > 0, let openssl = OpenSSLCommandLine.path {
            let client = OpenSSLCommandLine.Identity(
                certificate: agentFiles.certificatePath, key: agentFiles.privateKeyPath,
                trustRoots: authority.certificatePath)
            let serverIdentity = OpenSSLCommandLine.Identity(
                certificate: serverFiles.certificatePath, key: serverFiles.privateKeyPath,
                trustRoots: authority.certificatePath)
            let reference = try await OpenSSLCommandLine.sTimeAgainstSServer(
                openssl: openssl, server: serverIdentity, client: client, seconds: opensslSeconds)
            emit("  openssl s_time -new -> openssl s_server (1 at a time): \(reference)")
            let ours = try await OpenSSLCommandLine.sTime(
                openssl: openssl, port: serverPort, client: client, seconds: opensslSeconds)
            emit("  openssl s_time -new -> our server        (1 at a time): \(ours)")
        } else {
            emit("  openssl comparison skipped (openssl not found or --openssl-seconds 0)")
        }

        let perPair = try await idleMemory(connections: idleConnections, server: server, context: clientContext)
        emit("  resident memory per idle established connection pair (client + server side, both here): "
              + "\(format(perPair / 1024, 1)) KiB (\(idleConnections) connections)")
    }

    // MARK: - Handshakes

    /// Completes `count` client handshakes, `concurrency` at a time; returns seconds and handshakes/s.
    private static func handshakeRate(count: Int, concurrency: Int, port: Int, context: TLSContext) async throws
        -> (Double, Double)
    {
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<max(1, concurrency) {
                group.addTask {
                    for _ in stride(from: worker, to: count, by: max(1, concurrency)) {
                        let connection = try await connect(port: port, context: context)
                        try await connection.channel.close()
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (seconds, Double(count) / seconds)
    }

    /// A client connection whose handshake (including peer verification) has completed.
    struct Connection: Sendable {
        let channel: any Channel
        let peer: TLSPeerIdentity
    }

    static func connect(port: Int, context: TLSContext) async throws -> Connection {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let handshake = eventLoop.makePromise(of: TLSPeerIdentity.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let tls = OpenSSLHandler(context: context, serverHostname: "127.0.0.1")
                        try channel.pipeline.syncOperations.addHandler(tls)
                        tls.handshakeCompleted.cascade(to: handshake)
                    }
                }
                .connect(host: "127.0.0.1", port: port)
                .get()
        } catch {
            handshake.fail(error)
            throw error
        }
        let peer = try await handshake.futureResult.get()
        return Connection(channel: channel, peer: peer)
    }

    // MARK: - Memory

    /// Opens `connections` connections, waits until both sides of each have completed the handshake, and returns
    /// the growth of VmRSS per connection pair in bytes.
    private static func idleMemory(connections: Int, server: TLSBenchmarkServer, context: TLSContext) async throws
        -> Double
    {
        try raiseFileDescriptorLimit(to: UInt64(connections) * 2 + 256)
        // A first batch warms allocator arenas and NIO's pools so that they are not counted per connection.
        var warm: [Connection] = []
        for _ in 0..<min(50, connections) { warm.append(try await connect(port: server.port, context: context)) }
        for connection in warm { try await connection.channel.close() }
        await server.handshakes.wait(untilAtLeast: warm.count)
        let acceptedBefore = server.handshakes.count
        let before = try residentBytes()
        var open: [Connection] = []
        open.reserveCapacity(connections)
        for _ in 0..<connections {
            open.append(try await connect(port: server.port, context: context))
        }
        // The server side finishes its handshake after the client's (it needs the client's Finished).
        await server.handshakes.wait(untilAtLeast: acceptedBefore + connections)
        let after = try residentBytes()
        for connection in open { try? await connection.channel.close() }
        return Double(after - before) / Double(connections)
    }

    /// VmRSS of this process in bytes, from /proc/self/status.
    static func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { throw BenchmarkError(reason: "no VmRSS in /proc/self/status") }
        return kibibytes * 1024
    }

    private static func raiseFileDescriptorLimit(to wanted: UInt64) throws {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        guard UInt64(limit.rlim_cur) < wanted else { return }
        guard UInt64(limit.rlim_max) >= wanted else {
            throw BenchmarkError(reason: "file descriptor limit \(limit.rlim_max) is below the \(wanted) needed")
        }
        limit.rlim_cur = rlim_t(wanted)
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    private static func configuration(_ files: CertificateFiles, _ authority: CertificateAuthority)
        -> TLSConfiguration
    {
        TLSConfiguration(
            certificateChainPath: files.certificatePath, privateKeyPath: files.privateKeyPath,
            trustRootsPath: authority.certificatePath)
    }

    /// Prints a line and flushes, so each figure appears as soon as it is measured (also into a pipe).
    static func emit(_ line: String) {
        print(line)
        fflush(nil)
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
