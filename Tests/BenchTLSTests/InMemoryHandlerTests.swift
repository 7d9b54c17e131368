import NIOCore
import NIOEmbedded
import Testing

@testable import BenchTLS

@Suite("OpenSSLHandler in memory (two EmbeddedChannels)")
struct InMemoryHandlerTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates()
    }

    /// Embedded channels must be created on the thread that uses them, so each test makes its own pair.
    func makePair() throws -> InMemoryTLSPair {
        try InMemoryTLSPair(
            clientContext: try certificates.clientContext(), serverContext: try certificates.serverContext())
    }

    @Test("handshake completes, both sides learn the verified peer")
    func handshake() throws {
        let pair = try makePair()
        try pair.connect()
        try pair.interact()

        let serverEvent = try #require(pair.serverRecorder.handshakes.first)
        #expect(serverEvent.peer.commonName == "agent-1")
        #expect(serverEvent.peer.dnsNames == ["agent-1"])
        #expect(serverEvent.version == .v1_3)
        #expect(serverEvent.peer.fingerprintSHA256.count == 64)
        #expect(pair.serverHandler.peerIdentity == serverEvent.peer)

        let clientEvent = try #require(pair.clientRecorder.handshakes.first)
        #expect(clientEvent.peer.dnsNames == ["localhost"])
        #expect(clientEvent.peer.ipAddresses == ["127.0.0.1"])
        #expect(pair.clientHandler.peerIdentity == clientEvent.peer)

        let futurePeer = try #require(pair.serverHandler.handshakeCompleted.completedResult()).get()
        #expect(futurePeer == serverEvent.peer)
        #expect(pair.serverRecorder.errors.isEmpty && pair.clientRecorder.errors.isEmpty)
    }

    @Test("data flows both ways after the handshake")
    func dataBothWays() throws {
        let pair = try makePair()
        try pair.connect()
        try pair.interact()
        pair.send("hello coordinator", on: pair.client)
        try pair.interact()
        #expect(pair.serverRecorder.takeReceived() == Array("hello coordinator".utf8))
        pair.send("hello agent", on: pair.server)
        try pair.interact()
        #expect(pair.clientRecorder.takeReceived() == Array("hello agent".utf8))
    }

    @Test("a payload of 1 MiB crosses many TLS records intact")
    func largePayload() throws {
        let pair = try makePair()
        try pair.connect()
        try pair.interact()
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        pair.client.writeAndFlush(ByteBuffer(bytes: payload), promise: nil)
        try pair.interact()
        let received = pair.serverRecorder.takeReceived()
        #expect(received.count == payload.count)
        #expect(received == payload)
        #expect(pair.serverRecorder.readCount >= 1)
    }

    @Test("writes issued before the handshake completes are sent after it, in order, and their promises succeed")
    func writesBeforeHandshake() throws {
        let pair = try makePair()
        let first = pair.client.embeddedEventLoop.makePromise(of: Void.self)
        let second = pair.client.embeddedEventLoop.makePromise(of: Void.self)
        try pair.connect()
        pair.client.write(ByteBuffer(string: "early-1 "), promise: first)
        pair.client.writeAndFlush(ByteBuffer(string: "early-2"), promise: second)
        #expect(first.futureResult.completedResult() == nil)
        #expect(second.futureResult.completedResult() == nil)

        try pair.interact()
        #expect(pair.serverRecorder.takeReceived() == Array("early-1 early-2".utf8))
        #expect(try #require(first.futureResult.completedResult()).isSuccess)
        #expect(try #require(second.futureResult.completedResult()).isSuccess)
    }

    @Test("delivery one byte at a time, handshake and data")
    func oneByteFragments() throws {
        let pair = try makePair()
        try pair.connect()
        try pair.interact(maximumChunk: 1)
        #expect(pair.serverRecorder.handshakes.count == 1)
        #expect(pair.clientRecorder.handshakes.count == 1)
        pair.send("fragmented", on: pair.client)
        try pair.interact(maximumChunk: 1)
        #expect(pair.serverRecorder.takeReceived() == Array("fragmented".utf8))
    }

    @Test("close sends close_notify; the peer closes cleanly without an unclean-shutdown error")
    func closeNotify() throws {
        let pair = try makePair()
        try pair.connect()
        try pair.interact()
        pair.send("last words", on: pair.client)
        let closed = pair.client.close()
        try pair.interact()
        #expect(closed.completedResult() != nil)
        #expect(pair.serverRecorder.takeReceived() == Array("last words".utf8))
        #expect(!pair.server.isActive)
        #expect(pair.serverRecorder.becameInactive)
        #expect(pair.serverRecorder.errors.isEmpty)
        #expect(pair.clientRecorder.errors.isEmpty)
    }

    @Test("EOF without close_notify after the handshake is an unclean shutdown")
    func uncleanShutdown() throws {
        let pair = try makePair()
        try pair.connect()
        try pair.interact()
        pair.server.pipeline.fireChannelInactive()
        #expect(pair.serverRecorder.errors.map(\.code) == [.uncleanShutdown])
    }

    @Test("EOF during the handshake fails the handshake, its future and buffered writes")
    func eofDuringHandshake() throws {
        let pair = try makePair()
        try pair.connect()
        let promise = pair.client.embeddedEventLoop.makePromise(of: Void.self)
        pair.client.writeAndFlush(ByteBuffer(string: "never sent"), promise: promise)

        pair.client.pipeline.fireChannelInactive()
        #expect(pair.clientRecorder.errors.map(\.code) == [.eofDuringHandshake])
        let handshakeResult = try #require(pair.clientHandler.handshakeCompleted.completedResult())
        #expect(TLSError.Code.eofDuringHandshake.matches(try #require(handshakeResult.failure)))
        let writeResult = try #require(promise.futureResult.completedResult())
        #expect(TLSError.Code.eofDuringHandshake.matches(try #require(writeResult.failure)))
    }

    @Test("a silent peer is closed when the handshake timeout passes (EmbeddedEventLoop time)")
    func handshakeTimeout() throws {
        let server = EmbeddedChannel()
        let recorder = PipelineRecorder()
        let handler = OpenSSLHandler(context: try certificates.serverContext(handshakeTimeout: 5))
        try server.pipeline.syncOperations.addHandlers([handler, recorder])
        try server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()

        server.embeddedEventLoop.advanceTime(by: .seconds(4))
        #expect(server.isActive)
        #expect(recorder.errors.isEmpty)

        server.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(recorder.errors.map(\.code) == [.handshakeTimeout])
        #expect(!server.isActive)
    }

    @Test("a completed handshake cancels the timeout")
    func timeoutCancelledByHandshake() throws {
        let pair = try makePair()
        try pair.connect()
        try pair.interact()
        pair.server.embeddedEventLoop.advanceTime(by: .seconds(60))
        pair.client.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(pair.server.isActive && pair.client.isActive)
        #expect(pair.serverRecorder.errors.isEmpty && pair.clientRecorder.errors.isEmpty)
    }

    @Test("garbage instead of a ClientHello is a typed handshake error carrying OpenSSL's reason")
    func garbageHandshake() throws {
        let pair = try makePair()
        try pair.connect()
        try pair.server.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        let error = try #require(pair.serverRecorder.errors.first)
        #expect(error.code == .handshakeFailed)
        #expect(!error.openSSLErrors.isEmpty)
        #expect(!pair.server.isActive)
    }

    @Test("writes after close fail with channelClosed")
    func writeAfterClose() throws {
        let pair = try makePair()
        try pair.connect()
        try pair.interact()
        _ = pair.client.close()
        let promise = pair.client.embeddedEventLoop.makePromise(of: Void.self)
        pair.client.writeAndFlush(ByteBuffer(string: "too late"), promise: promise)
        let result = try #require(promise.futureResult.completedResult())
        #expect(TLSError.Code.channelClosed.matches(try #require(result.failure)))
    }

    @Test("the SSL object (and its BIOs) is freed once the channel has closed")
    func engineReleasedAfterClose() throws {
        let pair = try makePair()
        try pair.connect()
        try pair.interact()
        weak let serverEngine = pair.serverHandler.engine
        weak let clientEngine = pair.clientHandler.engine
        #expect(serverEngine != nil && clientEngine != nil)

        _ = pair.client.close()
        try pair.interact()
        pair.client.embeddedEventLoop.run()
        pair.server.embeddedEventLoop.run()
        #expect(!pair.server.isActive)
        #expect(serverEngine == nil)
        #expect(clientEngine == nil)
    }
}
