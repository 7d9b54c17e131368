@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire
import Foundation
import NIOCore
import NIOPosix
import Testing

/// Admission and session rules over real loopback TLS.
@Suite("Coordinator: admission, sessions and protocol errors")
struct CoordinatorSessionTests {
    static let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])],
                           jobGapSeconds: 0, dayGapSeconds: 0, maxInFlight: 64)

    @Test("an agent not on the allow-list is rejected not_allowed, and the refusal is logged")
    func allowList() async throws {
        let harness = try await CoordinatorHarness(plan: Self.plan) { $0.allowedAgents = ["agent-1"] }
        let intruder = try await harness.agent("agent-2")
        let messages = try await intruder.closed()
        guard case .reject(let reject) = messages.first else {
            Issue.record("expected reject, got \(messages)")
            return
        }
        #expect(reject.code == .notAllowed)
        #expect(await harness.logs.waitFor("refused agent from 127.0.0.1"))
        let allowed = try await harness.agent("agent-1")
        _ = try await allowed.welcome()
        harness.task.cancel()
        _ = try? await harness.result()
    }

    @Test("an agent whose certificate comes from another CA never gets a session; the failure is logged")
    func foreignCA() async throws {
        let harness = try await CoordinatorHarness(plan: Self.plan)
        let foreign = try TestCertificates(agents: ["agent-1"])
        let context = try foreign.clientContext("agent-1")
        do {
            let agent = try await ScriptedAgent.connect(port: harness.port, context: context)
            agent.send(.hello(.init(agentID: "agent-1", slots: 1)))
            let messages = try await agent.closed()
            #expect(messages.isEmpty)
        } catch {
            // Refused during the handshake: equally fine.
        }
        #expect(await harness.logs.waitFor("connection from 127.0.0.1"))
        harness.task.cancel()
        _ = try? await harness.result()
    }

    @Test("a second session of the same identity replaces the first, which gets bye")
    func duplicateIdentity() async throws {
        let harness = try await CoordinatorHarness(plan: Self.plan)
        let old = try await harness.agent("agent-1", slots: 1)
        let assign = try await old.assign()
        let new = try await harness.agent("agent-1", slots: 1, running: [assign.task])
        #expect(try await new.welcome().reattached == [assign.task])
        let goodbye = try await old.closed()
        #expect(goodbye.contains(.bye(.init(reason: "replaced by a new session"))))
        harness.task.cancel()
        _ = try? await harness.result()
    }

    @Test("a malformed frame closes only that agent's connection; the others finish the collection")
    func malformedFrame() async throws {
        let harness = try await CoordinatorHarness(plan: Self.plan)
        let good = try await harness.agent("agent-1", slots: 2)
        let first = try await good.assign()
        let second = try await good.assign()
        // A raw TLS connection with a valid hello, then garbage.
        let raw = try await RawAgent.connect(port: harness.port, context: harness.certificates.clientContext("agent-2"))
        try await raw.send(#"{"type":"hello","protocol_version":1,"agent_id":"agent-2","slots":1,"labels":{},"#
                           + #""running":[],"queued_results":[]}"#)
        try await raw.send("{not json!}")
        #expect(await harness.logs.waitFor("protocol error from agent agent-2"))
        #expect(await harness.logs.waitFor("agent agent-2 disconnected"))
        good.send(try resultMessage(first.task))
        good.send(try resultMessage(second.task))
        _ = try await good.next { if case .drain = $0 { true } else { nil } }
        good.send(.bye(.init(reason: "drained")))
        #expect(try await harness.result().done == 2)
        await raw.close()
    }

    @Test("a wrong first frame is rejected bad_hello; another protocol version version_mismatch")
    func badHello() async throws {
        let harness = try await CoordinatorHarness(plan: Self.plan)
        let certificates = harness.certificates
        let confused = try await RawAgent.connect(port: harness.port, context: certificates.clientContext("agent-1"))
        try await confused.send(#"{"type":"heartbeat","sent_at_ms":1,"running":[]}"#)
        #expect(try await confused.readRejectCode() == "bad_hello")
        let future = try await RawAgent.connect(port: harness.port, context: certificates.clientContext("agent-2"))
        try await future.send(#"{"type":"hello","protocol_version":2,"agent_id":"x"}"#)
        #expect(try await future.readRejectCode() == "version_mismatch")
        harness.task.cancel()
        _ = try? await harness.result()
    }

    @Test("stopping the coordinator says bye to every agent and ends run with CancellationError")
    func gracefulStop() async throws {
        let harness = try await CoordinatorHarness(plan: Self.plan)
        let agent = try await harness.agent("agent-1", slots: 1)
        _ = try await agent.assign()
        harness.task.cancel()
        await #expect(throws: CancellationError.self) { try await harness.result() }
        let last = try await agent.closed()
        #expect(last.last == .bye(.init(reason: "coordinator shutting down")))
    }
}

/// A TLS client that writes raw frames, for malformed input.
final class RawAgent: Sendable {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
    }

    static func connect(port: Int, context: TLSContext) async throws -> RawAgent {
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
        return RawAgent(channel: channel)
    }

    /// Sends `body` as one frame.
    func send(_ body: String) async throws {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(body.utf8.count))
        buffer.writeString(body)
        try await channel.channel.writeAndFlush(buffer)
    }

    /// Reads the first frame and returns the `code` of the reject it holds.
    func readRejectCode() async throws -> String? {
        let channel = self.channel
        return try await withDeadline {
            var collected = ByteBuffer()
            try await channel.executeThenClose { inbound, _ in
                for try await chunk in inbound {
                    var chunk = chunk
                    collected.writeBuffer(&chunk)
                    if let length = collected.getInteger(at: 0, as: UInt32.self),
                       collected.readableBytes >= 4 + Int(length) { break }
                }
            }
            guard let length = collected.getInteger(at: 0, as: UInt32.self),
                  let body = collected.getString(at: 4, length: Int(length)),
                  let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            else { return nil }
            return object["code"] as? String
        }
    }

    func close() async {
        try? await channel.channel.close()
    }
}
