// libFuzzer entry point for the BenchWire frame and message decoders.
// Built by Fuzz/run-wire-fuzzer.sh into one module together with Sources/BenchWire (so internals are visible);
// not part of the SwiftPM package.

import NIOCore
import NIOEmbedded

private let maxFrameLength = 4_096

/// Feeds `data` through frame decoder + message decoder in chunks chosen by the input itself, and through
/// `WireCodec.decode(body:)` directly. Traps (a finding) if anything but a `WireError` is thrown or a decoded
/// message does not survive an encode/decode round trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func wireFuzzerTestOneInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    let codec = WireCodec(maxFrameLength: maxFrameLength)
    checkBody(bytes, codec: codec)
    checkStream(bytes, codec: codec)
    return 0
}

private func checkBody(_ bytes: UnsafeBufferPointer<UInt8>, codec: WireCodec) {
    do {
        let message = try codec.decode(body: ByteBuffer(bytes: bytes))
        checkRoundTrip(message)
    } catch {
        // Typed throws: every failure is a WireError by construction.
    }
}

private func checkStream(_ bytes: UnsafeBufferPointer<UInt8>, codec: WireCodec) {
    let channel = EmbeddedChannel()
    do {
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(
                WireFrameDecoder(maxFrameLength: maxFrameLength),
                maximumBufferSize: WireFrameDecoder.maximumBufferSize(maxFrameLength: maxFrameLength)
            )
        )
        try channel.pipeline.syncOperations.addHandler(WireMessageDecoder(codec: codec))
    } catch {
        fatalError("pipeline setup failed: \(error)")
    }
    // The first byte picks the chunk size, so the fuzzer explores frames split across reads.
    let chunkSize = Int(bytes.first ?? 0) % 17 + 1
    var offset = 0
    var failed = false
    while offset < bytes.count, !failed {
        let end = min(bytes.count, offset + chunkSize)
        do {
            try channel.writeInbound(ByteBuffer(bytes: UnsafeBufferPointer(rebasing: bytes[offset..<end])))
        } catch {
            failed = true
            requireWireError(error)
        }
        offset = end
    }
    do {
        _ = try channel.finish()
    } catch {
        if !failed { requireWireError(error) }
    }
    while let message = try? channel.readInbound(as: WireMessage.self) {
        checkRoundTrip(message)
    }
}

private func requireWireError(_ error: any Error) {
    guard error is WireError else {
        fatalError("decoder threw a non-WireError: \(type(of: error)) \(error)")
    }
}

private func checkRoundTrip(_ message: WireMessage) {
    let codec = WireCodec()
    do {
        var frame = ByteBuffer()
        try codec.encodeFrame(message, into: &frame)
        frame.moveReaderIndex(forwardBy: WireProtocol.lengthPrefixSize)
        let again = try codec.decode(body: frame)
        guard again == message else { fatalError("round trip changed the message: \(message) -> \(again)") }
    } catch {
        fatalError("a decoded message failed to round-trip: \(error)")
    }
}
