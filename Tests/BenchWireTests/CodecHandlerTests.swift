import BenchJSON
import BenchProtocol
@_spi(PlaintextForTesting) import BenchWire
import NIOCore
import NIOEmbedded
import Testing

@Suite("WireMessageDecoder and WireMessageEncoder")
struct CodecHandlerTests {
    let codec = WireCodec()

    private func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    @Test("the decoder turns frame bodies into messages")
    func decodes() throws {
        let channel = EmbeddedChannel(handler: WireMessageDecoder())
        try channel.writeInbound(body(#"{"type":"drain","reason":"done"}"#))
        #expect(try channel.readInbound(as: WireMessage.self) == .drain(.init(reason: "done")))
        #expect(try channel.finish().isClean)
    }

    @Test("the decoder reports an invalid message once and ignores what follows")
    func decoderStopsAfterError() throws {
        let channel = EmbeddedChannel(handler: WireMessageDecoder())
        #expect(throws: WireError.unknownType("nope")) {
            try channel.writeInbound(body(#"{"type":"nope"}"#))
        }
        try channel.writeInbound(body(#"{"type":"bye","reason":"x"}"#))
        #expect(try channel.readInbound(as: WireMessage.self) == nil)
        #expect(try channel.finish().isClean)
    }

    @Test("the encoder writes one buffer holding prefix and JSON")
    func encodes() throws {
        let channel = EmbeddedChannel(handler: WireMessageEncoder())
        try channel.writeOutbound(WireMessage.bye(.init(reason: "bye")))
        var written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        let json = #"{"reason":"bye","type":"bye"}"#
        #expect(written.readInteger(as: UInt32.self) == UInt32(json.utf8.count))
        #expect(written.readString(length: written.readableBytes) == json)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(try channel.finish().isClean)
    }

    @Test("an outbound message above the limit is refused and reported")
    func outboundTooLarge() throws {
        let small = WireCodec(maxFrameLength: 32)
        let channel = EmbeddedChannel(handler: WireMessageEncoder(codec: small))
        let message = WireMessage.bye(.init(reason: String(repeating: "x", count: 40)))
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.write(message, promise: promise)
        #expect(throws: WireError.outboundFrameTooLarge(type: "bye", length: 66, max: 32)) {
            try promise.futureResult.wait()
        }
        #expect(throws: WireError.outboundFrameTooLarge(type: "bye", length: 66, max: 32)) {
            try channel.throwIfErrorCaught()
        }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
    }

    @Test("a non-finite number cannot be encoded and is reported as unencodable")
    func nonFinite() throws {
        let channel = EmbeddedChannel(handler: WireMessageEncoder())
        let message = WireMessage.result(.init(
            task: TaskRef(taskID: "t", attempt: 1), outcome: ["x": .number(.nan)], finishedAt: .now()
        ))
        #expect(throws: WireError.self) { try channel.writeOutbound(message) }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
    }

    @Test("encoder, frame decoder and message decoder deliver every sample, fed one byte at a time")
    func fullStackInMemory() throws {
        let sender = EmbeddedChannel(handler: WireMessageEncoder())
        let receiver = EmbeddedChannel()
        try receiver.pipeline.syncOperations.addHandler(ByteToMessageHandler(WireFrameDecoder()))
        try receiver.pipeline.syncOperations.addHandler(WireMessageDecoder())
        for message in SampleMessages.all {
            try sender.writeOutbound(message)
        }
        var bytes = ByteBuffer()
        while var chunk = try sender.readOutbound(as: ByteBuffer.self) {
            bytes.writeBuffer(&chunk)
        }
        while let byte = bytes.readSlice(length: 1) {
            try receiver.writeInbound(byte)
        }
        var received: [WireMessage] = []
        while let message = try receiver.readInbound(as: WireMessage.self) {
            received.append(message)
        }
        #expect(received == SampleMessages.all)
        #expect(try receiver.finish().isClean)
        #expect(try sender.finish().isClean)
    }

    @Test("the plaintext test pipeline yields messages, then the typed error, from its async sequence")
    func plaintextAsyncChannel() async throws {
        let channel = NIOAsyncTestingChannel()
        let wire = try await channel.eventLoop.submit {
            try WirePipeline.configurePlaintextForTesting(channel)
        }.get()
        var frames = ByteBuffer()
        try codec.encodeFrame(.heartbeat(.init(sentAtMS: 1)), into: &frames)
        frames.writeInteger(UInt32(9))
        frames.writeString("not json!")
        // The error also reaches the end of the pipeline, where the testing channel rethrows it.
        await #expect(throws: WireError.self) { try await channel.writeInbound(frames) }

        try await wire.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            #expect(try await iterator.next() == .heartbeat(.init(sentAtMS: 1)))
            await #expect(throws: WireError.self) { _ = try await iterator.next() }
            try await outbound.write(.bye(.init(reason: "protocol error")))
        }
        var written = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        written.moveReaderIndex(forwardBy: WireProtocol.lengthPrefixSize)
        #expect(try codec.decode(body: written) == .bye(.init(reason: "protocol error")))
    }
}
