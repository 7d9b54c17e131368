import BenchStore
import BenchTLS
import BenchProtocol
import BenchWire
import Foundation
import NIOCore
import NIOPosix
import TestTiming
import Testing

/// Hostile input against a real `mmmbench coordinator` child process (the in-process cases are in
/// BenchCoordinatorTests' HostileInputTests): every bad connection is closed with its reason in the coordinator's
/// log, the process keeps no descriptor of it, and a healthy agent then finishes the collection.
@Suite("Coordinator process: hostile input over mTLS", .serialized)
struct CoordinatorProcessHostileInputTests {
    static let planText = """
        days: 1
        job_gap_seconds: 0
        jobs: [{type: small, iterations: 20, trials: 2, countries: [fr, de]}]
        """

    /// A frame: 4-byte big-endian length, then `body`.
    static func frame(declaring length: UInt32, _ body: [UInt8] = []) -> [UInt8] {
        [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + body
    }

    static func hostileContext(_ cluster: Cluster) throws -> TLSContext {
        try TLSContext(configuration: TLSConfiguration(
            certificateChainPath: cluster.dir.file("certs/hostile.pem"),
            privateKeyPath: cluster.dir.file("certs/hostile-key.pem"),
            trustRootsPath: cluster.dir.file("certs/ca.pem"),
            handshakeTimeout: .milliseconds(TestTiming.milliseconds(10_000))), role: .client)
    }

    /// Open socket descriptors of a process (this test's own child); files it opens meanwhile (SQLite's journal and
    /// such) are not counted.
    static func descriptors(of pid: Int32) -> Int {
        let directory = "/proc/\(pid)/fd"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return -1 }
        return entries.count { entry in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + entry))?
                .hasPrefix("socket:") == true
        }
    }

    /// Waits (bounded) until `pid` has at most `baseline` descriptors; returns the last count.
    static func waitForDescriptors(of pid: Int32, atMost baseline: Int) async -> Int {
        let deadline = ContinuousClock.now + TestTiming.scaled(.seconds(60))
        var current = descriptors(of: pid)
        while current > baseline, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
            current = descriptors(of: pid)
        }
        return current
    }

    /// The healthy agent runs the whole collection: the coordinator exits 0 and every job is counted once, by it.
    static func expectHealthyAgentFinishes(_ cluster: Cluster, _ coordinator: ChildProcess, port: Int) async throws {
        let healthy = try cluster.startAgent("healthy", port: port)
        #expect(await coordinator.waitForExit(timeout: .seconds(120)) == 0, "coordinator:\n\(coordinator.text)")
        _ = await healthy.waitForExit(timeout: .seconds(60))
        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        let metrics = try store.countedMetrics(collectionID: collection.id)
        #expect(metrics.map(\.jobID).sorted() == ["baseline-1-1-de", "baseline-1-1-fr"])
        #expect(metrics.allSatisfy { $0.agent == "healthy" })
    }

    @Test("length 0, length max+1 and invalid UTF-8 before hello: each connection closed with its reason logged",
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/fd"), "needs /proc"))
    func malformedFrames() async throws {
        let cluster = try await Cluster(agents: ["healthy", "hostile"])
        // The hello deadline (10 s) scaled by TestTiming: this test is about the frames, and under TSan on a loaded
        // machine the deadline once closed a connection before its frame was read (no "protocol error" logged).
        let (coordinator, port) = try await cluster.startCoordinator(
            plan: try cluster.plan(Self.planText),
            extra: ["--hello-timeout-seconds", "\(TestTiming.seconds(10))"])
        let context = try Self.hostileContext(cluster)
        let baseline = Self.descriptors(of: coordinator.pid)
        let maxFrame = WireProtocol.defaultMaxFrameLength
        let invalidUTF8 = Array(#"{"type":"hello","protocol_version":1,"agent_id":""#.utf8) + [0xFF, 0xFE, 0xC0]
            + Array(#"","slots":1}"#.utf8)
        let cases: [(name: String, bytes: [UInt8], reason: String)] = [
            ("length 0", Self.frame(declaring: 0), "frame header declares an empty body"),
            ("length max+1", Self.frame(declaring: UInt32(maxFrame + 1)),
             "frame header declares \(maxFrame + 1) bytes, more than the maximum of \(maxFrame)"),
            ("invalid UTF-8", Self.frame(declaring: UInt32(invalidUTF8.count), invalidUTF8), "not valid UTF-8"),
        ]
        for input in cases {
            let connection = try await RawTLSConnection.connect(port: port, context: context)
            connection.write(input.bytes)
            #expect(await connection.waitUntilClosed(seconds: 60), "\(input.name): the connection stayed open")
            let logged = await coordinator.waitForLine(timeout: .seconds(60)) {
                $0.contains("protocol error") && $0.contains(input.reason)
            }
            #expect(logged != nil, "\(input.name): no 'protocol error ... \(input.reason)' in\n\(coordinator.text)")
        }
        #expect(await Self.waitForDescriptors(of: coordinator.pid, atMost: baseline) <= baseline)
        try await Self.expectHealthyAgentFinishes(cluster, coordinator, port: port)
    }

    @Test("100 authenticated connections that never say hello: closed at the hello deadline, descriptors released",
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/fd"), "needs /proc"))
    func silentAuthenticatedConnections() async throws {
        let cluster = try await Cluster(agents: ["healthy", "hostile"])
        let (coordinator, port) = try await cluster.startCoordinator(plan: try cluster.plan(Self.planText))
        let context = try Self.hostileContext(cluster)
        let baseline = Self.descriptors(of: coordinator.pid)
        var silent: [RawTLSConnection] = []
        for _ in 0..<100 { silent.append(try await RawTLSConnection.connect(port: port, context: context)) }
        for connection in silent {
            #expect(await connection.waitUntilClosed(seconds: 120), "a silent connection stayed open")
        }
        // One line per connection, each closed by the coordinator's hello deadline (none by this side).
        #expect(await coordinator.waitForLines(100, timeout: .seconds(60)) { $0.contains("no hello within") },
                "\(coordinator.lines.filter { $0.contains("no hello within") }.count) 'no hello within' lines")
        #expect(coordinator.lines.filter { $0.contains("no hello within") }.count == 100)
        #expect(await Self.waitForDescriptors(of: coordinator.pid, atMost: baseline) <= baseline)
        try await Self.expectHealthyAgentFinishes(cluster, coordinator, port: port)
    }
}

/// A mutual-TLS client that writes raw bytes (anything, not only valid frames) and ignores what it reads; it only
/// tells when the coordinator closes the connection.
struct RawTLSConnection: Sendable {
    let channel: any Channel

    /// Completes a TLS handshake with `context` against 127.0.0.1:`port`.
    static func connect(port: Int, context: TLSContext) async throws -> RawTLSConnection {
        let (channel, handshake) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = OpenSSLHandler(context: context, serverHostname: "127.0.0.1")
                    try channel.pipeline.syncOperations.addHandler(tls)
                    return (channel, tls.handshakeCompleted)
                }
            }
        _ = try await handshake.get()
        return RawTLSConnection(channel: channel)
    }

    /// Writes `bytes` in one write.
    func write(_ bytes: [UInt8]) {
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
    }

    /// Whether the peer closed the connection within `seconds` (scaled); closes it from this side otherwise.
    func waitUntilClosed(seconds: Double) async -> Bool {
        let channel = self.channel
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try? await channel.closeFuture.get()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(TestTiming.seconds(seconds)))
                // At the deadline: close from this side, which also ends the other task's wait.
                if !Task.isCancelled { channel.close(promise: nil) }
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
