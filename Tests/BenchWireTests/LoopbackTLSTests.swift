import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire
import Foundation
import NIOCore
import NIOPosix
import Testing

/// What the test server observed, reported through an `AsyncStream`.
enum ServerEvent: Sendable {
    case connected(peer: TLSPeerIdentity)
    case received([WireMessage])
    case failed(any Error)
}

@Suite("Wire over real loopback TLS")
struct LoopbackTLSTests {
    /// Runs a server whose sessions read until EOF or error, echo everything with `echo`, and report what they saw.
    private func withServer(
        _ fixture: TLSFixture,
        echo: Bool,
        _ body: @escaping @Sendable (_ port: Int, _ events: AsyncStream<ServerEvent>) async throws -> Void
    ) async throws {
        let server = try await WireServer.bind(host: "127.0.0.1", port: 0, tlsContext: fixture.serverContext)
        let (events, sink) = AsyncStream.makeStream(of: ServerEvent.self)
        try await withDeadline {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await server.run(onConnectionError: { error, _ in sink.yield(.failed(error)) }) { connection in
                        sink.yield(.connected(peer: connection.peer))
                        try await connection.channel.executeThenClose { inbound, outbound in
                            var received: [WireMessage] = []
                            do {
                                for try await message in inbound {
                                    received.append(message)
                                    if echo { try await outbound.write(message) }
                                    if case .bye = message { break }
                                }
                            } catch {
                                sink.yield(.received(received))
                                throw error
                            }
                            sink.yield(.received(received))
                        }
                    }
                }
                try await body(server.port, events)
                await server.close()
                try await group.waitForAll()
            }
        }
        sink.finish()
    }

    @Test("client and server exchange every message type and see each other's certificate identity")
    func exchangeEveryMessage() async throws {
        let fixture = try TLSFixture()
        try await withServer(fixture, echo: true) { port, events in
            let connection = try await fixture.connect(port: port)
            #expect(connection.peer.ipAddresses == ["127.0.0.1"])
            let echoed = try await connection.channel.executeThenClose { inbound, outbound in
                // The samples end with a bye, which ends the server's session after its echo.
                let messages = SampleMessages.all
                try await outbound.write(contentsOf: messages)
                var echoed: [WireMessage] = []
                for try await message in inbound {
                    echoed.append(message)
                    if echoed.count == messages.count { break }
                }
                return echoed
            }
            #expect(echoed == SampleMessages.all)
            var iterator = events.makeAsyncIterator()
            guard case .connected(let peer) = await iterator.next() else {
                Issue.record("expected a connection event")
                return
            }
            #expect(peer.commonName == "agent-1")
            guard case .received(let received) = await iterator.next() else {
                Issue.record("expected the server's received messages")
                return
            }
            #expect(received == echoed)
        }
    }

    enum Malformed: String, CaseIterable, Sendable {
        case garbageJSON, unknownType, oversizeLength

        var bytes: ByteBuffer {
            var buffer = ByteBuffer()
            switch self {
            case .garbageJSON:
                buffer.writeInteger(UInt32(11))
                buffer.writeString("{not json!}")
            case .unknownType:
                let body = #"{"type":"reboot","reason":"now"}"#
                buffer.writeInteger(UInt32(body.utf8.count))
                buffer.writeString(body)
            case .oversizeLength:
                buffer.writeInteger(UInt32(WireProtocol.defaultMaxFrameLength + 1))
                buffer.writeString("{")
            }
            return buffer
        }

        func matches(_ error: any Error) -> Bool {
            switch (self, error as? WireError) {
            case (.garbageJSON, .invalidJSON?): return true
            case (.unknownType, .unknownType("reboot")?): return true
            case (.oversizeLength, .frameTooLarge(WireProtocol.defaultMaxFrameLength + 1, _)?): return true
            default: return false
            }
        }
    }

    @Test("a malformed frame closes only its own connection, with a typed error", arguments: Malformed.allCases)
    func malformedClosesOnlyThatConnection(malformed: Malformed) async throws {
        let fixture = try TLSFixture()
        try await withServer(fixture, echo: true) { port, events in
            var serverEvents = events.makeAsyncIterator()
            let good = try await fixture.connect(port: port)
            guard case .connected = await serverEvents.next() else {
                Issue.record("expected the good connection")
                return
            }
            try await good.channel.executeThenClose { goodInbound, goodOutbound in
                var goodMessages = goodInbound.makeAsyncIterator()
                try await goodOutbound.write(.heartbeat(.init(sentAtMS: 1)))
                #expect(try await goodMessages.next() == .heartbeat(.init(sentAtMS: 1)))

                let bad = try await fixture.connectRaw(port: port)
                guard case .connected = await serverEvents.next() else {
                    Issue.record("expected the bad connection")
                    return
                }
                try await bad.executeThenClose { badInbound, badOutbound in
                    try await badOutbound.write(malformed.bytes)
                    // The server closes the connection: the raw client's inbound ends (cleanly or with an error).
                    do {
                        for try await _ in badInbound {}
                    } catch {}
                }
                guard case .received(let before) = await serverEvents.next() else {
                    Issue.record("expected the bad session to end")
                    return
                }
                #expect(before.isEmpty)
                guard case .failed(let error) = await serverEvents.next() else {
                    Issue.record("expected the bad session's error")
                    return
                }
                #expect(malformed.matches(error), "got \(error)")

                // The good connection is unaffected.
                try await goodOutbound.write(.heartbeat(.init(sentAtMS: 2)))
                #expect(try await goodMessages.next() == .heartbeat(.init(sentAtMS: 2)))
                try await goodOutbound.write(.bye(.init(reason: "done")))
                #expect(try await goodMessages.next() == .bye(.init(reason: "done")))
            }
        }
    }

    @Test("a frame written in many small pieces (separate writes and flushes) reassembles")
    func splitFrameOverTLS() async throws {
        let fixture = try TLSFixture()
        try await withServer(fixture, echo: false) { port, events in
            var frame = ByteBuffer()
            try WireCodec().encodeFrame(.progress(.init(task: SampleMessages.task, message: "m", fraction: 0.5)), into: &frame)
            try WireCodec().encodeFrame(.bye(.init(reason: "split")), into: &frame)
            let raw = try await fixture.connectRaw(port: port)
            try await raw.executeThenClose { inbound, outbound in
                // Pieces of 1, 2, 3, ... bytes, each its own write and flush.
                var size = 1
                while let piece = frame.readSlice(length: min(size, frame.readableBytes)), piece.readableBytes > 0 {
                    try await outbound.write(piece)
                    size += 1
                }
                for try await _ in inbound {}
            }
            var iterator = events.makeAsyncIterator()
            guard case .connected = await iterator.next(), case .received(let received) = await iterator.next() else {
                Issue.record("expected a session")
                return
            }
            #expect(received == [
                .progress(.init(task: SampleMessages.task, message: "m", fraction: 0.5)),
                .bye(.init(reason: "split")),
            ])
        }
    }

    @Test("a client that fails the handshake is reported and does not disturb the server")
    func failedHandshakeIsReported() async throws {
        let fixture = try TLSFixture()
        let stranger = try TLSFixture()  // another CA: its agent certificate is not trusted by `fixture`
        try await withServer(fixture, echo: true) { port, events in
            await #expect(throws: (any Error).self) {
                let connection = try await stranger.connect(port: port)
                // Under TLS 1.3 the refusal of a client certificate arrives on the client's first read.
                try await connection.channel.executeThenClose { inbound, _ in
                    for try await _ in inbound {}
                }
            }
            var iterator = events.makeAsyncIterator()
            guard case .failed(let error) = await iterator.next() else {
                Issue.record("expected the handshake failure to be reported")
                return
            }
            #expect(error is TLSError)
            let connection = try await fixture.connect(port: port)
            try await connection.channel.executeThenClose { inbound, outbound in
                try await outbound.write(.bye(.init(reason: "still fine")))
                var messages = inbound.makeAsyncIterator()
                #expect(try await messages.next() == .bye(.init(reason: "still fine")))
            }
        }
    }
}
