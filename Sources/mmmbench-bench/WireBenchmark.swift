import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire
import Foundation
import NIOCore

/// Round-trip throughput of the wire protocol over one mutually authenticated TLS connection on loopback.
///
/// The client sends `result` messages of about 200 bytes of JSON (a realistic small measurement); the server
/// answers each with an `ack`. Two modes:
/// - **ping-pong**: one message in flight; the rate is bounded by latency (two event-loop hops and a loopback
///   round trip per message).
/// - **pipelined**: up to `window` messages in flight; the rate is bounded by CPU (JSON, TLS, syscalls).
///
/// Certificates are made with BenchTLS's CA helpers in a temporary directory that is removed afterwards.
enum WireBenchmark {
    /// One measured mode.
    struct Measurement: Sendable, CustomStringConvertible {
        let mode: String
        let roundTrips: Int
        let seconds: Double

        var roundTripsPerSecond: Double { Double(roundTrips) / seconds }
        var microsecondsPerRoundTrip: Double { seconds * 1_000_000 / Double(roundTrips) }

        var description: String {
            "\(mode): \(roundTrips) round trips in \(String(format: "%.3f", seconds)) s = "
                + "\(String(format: "%.0f", roundTripsPerSecond)) msg/s "
                + "(\(String(format: "%.1f", microsecondsPerRoundTrip)) µs each)"
        }
    }

    /// All figures of one run.
    struct Report: Sendable, CustomStringConvertible {
        let requestBytes: Int
        let replyBytes: Int
        let pingPong: Measurement
        let pipelined: Measurement
        let window: Int

        var description: String {
            """
            wire round trips over one TLS 1.3 connection on loopback \
            (request: result, \(requestBytes) B JSON; reply: ack, \(replyBytes) B JSON)
              \(pingPong)
              \(pipelined) [window \(window)]
            """
        }
    }

    struct BenchmarkError: Error, CustomStringConvertible {
        let reason: String
        var description: String { "wire benchmark: \(reason)" }
    }

    /// Runs both modes and prints the report.
    /// - Parameters:
    ///   - pingPongRoundTrips: messages sent one at a time.
    ///   - pipelinedRoundTrips: messages sent with up to `window` in flight.
    ///   - window: in-flight limit of the pipelined mode.
    ///   - warmUp: round trips run first and not measured (JIT-free, but warms caches, allocators and TLS).
    @discardableResult
    static func run(
        pingPongRoundTrips: Int = 20_000,
        pipelinedRoundTrips: Int = 200_000,
        window: Int = 64,
        warmUp: Int = 2_000
    ) async throws -> Report {
        guard pingPongRoundTrips > 0, pipelinedRoundTrips > 0, window > 0, warmUp >= 0 else {
            throw BenchmarkError(reason: "counts and window must be positive")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-wire-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (serverContext, clientContext) = try makeContexts(in: directory)

        let server = try await WireServer.bind(host: "127.0.0.1", port: 0, tlsContext: serverContext)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.run(handler: echoAcks)
            }
            defer { group.cancelAll() }
            let connection = try await WireClient.connect(
                host: "127.0.0.1",
                port: server.port,
                tlsContext: clientContext,
                serverHostname: "127.0.0.1"
            )
            let report = try await connection.channel.executeThenClose { inbound, outbound in
                var acks = inbound.makeAsyncIterator()
                _ = try await pingPong(count: warmUp, acks: &acks, outbound: outbound)
                let pingPong = try await pingPong(count: pingPongRoundTrips, acks: &acks, outbound: outbound)
                _ = try await pipelined(count: warmUp, window: window, acks: &acks, outbound: outbound)
                let pipelined = try await pipelined(
                    count: pipelinedRoundTrips, window: window, acks: &acks, outbound: outbound
                )
                try await outbound.write(.bye(.init(reason: "benchmark done")))
                let codec = WireCodec()
                return Report(
                    requestBytes: try codec.encodeBody(.result(request(0))).count,
                    replyBytes: try codec.encodeBody(.ack(.init(task: request(0).task, status: .committed))).count,
                    pingPong: pingPong,
                    pipelined: pipelined,
                    window: window
                )
            }
            await server.close()
            try await group.next()
            print(report)
            return report
        }
    }

    /// The server side: answer every `result` with an `ack`, end on `bye`.
    @Sendable private static func echoAcks(_ connection: WireConnection) async throws {
        try await connection.channel.executeThenClose { inbound, outbound in
            for try await message in inbound {
                switch message {
                case .result(let result):
                    try await outbound.write(.ack(.init(task: result.task, status: .committed)))
                case .bye:
                    return
                default:
                    throw BenchmarkError(reason: "unexpected \(message.type.rawValue) from the client")
                }
            }
        }
    }

    private static func pingPong(
        count: Int,
        acks: inout NIOAsyncChannelInboundStream<WireMessage>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<WireMessage>
    ) async throws -> Measurement {
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<count {
            try await outbound.write(.result(request(index)))
            try await expectAck(from: &acks)
        }
        return Measurement(mode: "ping-pong", roundTrips: count, seconds: seconds(clock.now - start))
    }

    private static func pipelined(
        count: Int,
        window: Int,
        acks: inout NIOAsyncChannelInboundStream<WireMessage>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<WireMessage>
    ) async throws -> Measurement {
        let clock = ContinuousClock()
        let start = clock.now
        var sent = 0
        var received = 0
        while received < count {
            // Top the window up in one batch (one flush), then wait for one reply.
            var batch: [WireMessage] = []
            while sent < count, sent - received < window {
                batch.append(.result(request(sent)))
                sent += 1
            }
            if !batch.isEmpty { try await outbound.write(contentsOf: batch) }
            try await expectAck(from: &acks)
            received += 1
        }
        return Measurement(mode: "pipelined", roundTrips: count, seconds: seconds(clock.now - start))
    }

    private static func expectAck(
        from acks: inout NIOAsyncChannelInboundStream<WireMessage>.AsyncIterator
    ) async throws {
        guard case .ack = try await acks.next() else {
            throw BenchmarkError(reason: "the server closed the connection or sent something else than ack")
        }
    }

    /// A `result` of about 200 bytes of JSON.
    private static func request(_ index: Int) -> WireMessage.TaskResult {
        WireMessage.TaskResult(
            task: TaskRef(taskID: "baseline-3-6-US", attempt: 1 + index % 3),
            outcome: [
                "success": true, "duration_ms": 2_467_031, "http_status": 200, "cpu_hours": 0.6853,
                "cost_estimate": 0.0987, "error": nil,
            ],
            finishedAt: finishedAt
        )
    }

    private static let finishedAt = WireTimestamp(Date(timeIntervalSince1970: 1_740_830_467.031))

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    private static func makeContexts(in directory: String) throws -> (server: TLSContext, client: TLSContext) {
        let authority = try CertificateAuthority.create(in: directory, commonName: "mmmbench wire benchmark CA")
        let server = try authority.issueServerCertificate(subjectAlternativeNames: [.ip("127.0.0.1")])
        let agent = try authority.issueClientCertificate(agentName: "bench-agent")
        let serverContext = try TLSContext(
            configuration: TLSConfiguration(
                certificateChainPath: server.certificatePath,
                privateKeyPath: server.privateKeyPath,
                trustRootsPath: authority.certificatePath
            ),
            role: .server
        )
        let clientContext = try TLSContext(
            configuration: TLSConfiguration(
                certificateChainPath: agent.certificatePath,
                privateKeyPath: agent.privateKeyPath,
                trustRootsPath: authority.certificatePath
            ),
            role: .client
        )
        return (serverContext, clientContext)
    }
}
