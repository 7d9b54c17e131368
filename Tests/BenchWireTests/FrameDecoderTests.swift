import BenchJSON
import BenchProtocol
import BenchWire
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@Suite("WireFrameDecoder")
struct FrameDecoderTests {
    private func makeChannel(maxFrameLength: Int = 64) throws -> EmbeddedChannel {
        let decoder = ByteToMessageHandler(
            WireFrameDecoder(maxFrameLength: maxFrameLength),
            maximumBufferSize: WireFrameDecoder.maximumBufferSize(maxFrameLength: maxFrameLength)
        )
        return EmbeddedChannel(handler: decoder)
    }

    private func frame(_ body: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(body.utf8.count))
        buffer.writeString(body)
        return buffer
    }

    @Test("passes the conformance checks of ByteToMessageDecoderVerifier")
    func verifier() throws {
        let pairs: [(ByteBuffer, [ByteBuffer])] = [
            (frame("a"), [ByteBuffer(string: "a")]),
            (frame(#"{"type":"bye","reason":""}"#), [ByteBuffer(string: #"{"type":"bye","reason":""}"#)]),
            (frame("x") + frame("yz"), [ByteBuffer(string: "x"), ByteBuffer(string: "yz")]),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            WireFrameDecoder(maxFrameLength: 64)
        }
    }

    @Test("a frame split across many reads reassembles")
    func splitAcrossReads() throws {
        let channel = try makeChannel()
        var bytes = frame("hello") + frame("world!")
        while let byte = bytes.readSlice(length: 1) {
            try channel.writeInbound(byte)
        }
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "hello"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "world!"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        #expect(try channel.finish().isClean)
    }

    @Test("an oversize length fails at the header, before any body byte arrives")
    func oversizeAtOnce() throws {
        let channel = try makeChannel(maxFrameLength: 64)
        var header = ByteBuffer()
        header.writeInteger(UInt32(65))
        #expect(throws: WireError.frameTooLarge(declared: 65, max: 64)) {
            try channel.writeInbound(header)
        }
        _ = try? channel.finish()
    }

    @Test("a 4 GiB header is refused without buffering")
    func hugeHeader() throws {
        let channel = try makeChannel(maxFrameLength: WireProtocol.defaultMaxFrameLength)
        var header = ByteBuffer()
        header.writeInteger(UInt32.max)
        header.writeString("{")
        #expect(throws: WireError.frameTooLarge(declared: Int(UInt32.max), max: WireProtocol.defaultMaxFrameLength)) {
            try channel.writeInbound(header)
        }
        _ = try? channel.finish()
    }

    @Test("a zero length is emptyFrame")
    func zeroLength() throws {
        let channel = try makeChannel()
        var bytes = frame("ok")
        bytes.writeInteger(UInt32(0))
        #expect(throws: WireError.emptyFrame) { try channel.writeInbound(bytes) }
        // The good frame before the bad header was delivered.
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "ok"))
        _ = try? channel.finish()
    }

    @Test("exactly the maximum is accepted")
    func exactlyMax() throws {
        let channel = try makeChannel(maxFrameLength: 8)
        try channel.writeInbound(frame("12345678"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "12345678"))
        #expect(try channel.finish().isClean)
    }

    @Test("input after an error is not decoded")
    func stopsAfterError() throws {
        let channel = try makeChannel()
        var bad = ByteBuffer()
        bad.writeInteger(UInt32(0))
        #expect(throws: WireError.emptyFrame) { try channel.writeInbound(bad) }
        #expect(throws: (any Error).self) { try channel.writeInbound(frame("late")) }
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
    }

    @Test("EOF inside a frame is truncatedFrame")
    func truncated() throws {
        let channel = try makeChannel()
        var partial = frame("abcdef")
        partial.moveWriterIndex(to: partial.writerIndex - 2)
        try channel.writeInbound(partial)
        #expect(throws: WireError.truncatedFrame(bufferedBytes: 8)) { _ = try channel.finish() }
    }
}

extension ByteBuffer {
    fileprivate static func + (lhs: ByteBuffer, rhs: ByteBuffer) -> ByteBuffer {
        var result = lhs
        var rhs = rhs
        result.writeBuffer(&rhs)
        return result
    }
}
