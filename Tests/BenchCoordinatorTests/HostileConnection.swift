import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire
import Foundation
import NIOCore
import NIOPosix

/// A TLS client with an agent certificate that writes raw bytes (anything, not only valid frames) and reads the
/// coordinator's frames: the hostile peer of the malformed-input tests.
final class HostileConnection: Sendable {
    private enum Outgoing: Sendable {
        case bytes([UInt8])
        case close
    }

    private let outgoing: AsyncStream<Outgoing>.Continuation
    private let received = MessageQueue()
    private let task: Task<Void, Never>

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        let (stream, outgoing) = AsyncStream.makeStream(of: Outgoing.self)
        self.outgoing = outgoing
        let received = self.received
        task = Task {
            do {
                try await channel.executeThenClose { inbound, outbound in
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await item in stream {
                                guard case .bytes(let bytes) = item else { break }
                                // One write, one flush: one TLS record per call.
                                do {
                                    try await outbound.write(ByteBuffer(bytes: bytes))
                                } catch {
                                    return
                                }
                            }
                            channel.channel.close(promise: nil)
                        }
                        await Self.readFrames(inbound, into: received)
                        group.cancelAll()
                    }
                }
            } catch {
                await received.finish(error: error)
            }
        }
    }

    /// Completes a TLS handshake with `context` (an agent certificate) against 127.0.0.1:`port`.
    static func connect(port: Int, context: TLSContext) async throws -> HostileConnection {
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
        return HostileConnection(channel: channel)
    }

    /// Splits the coordinator's bytes into frames and decodes them; ends when the connection does.
    private static func readFrames(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, into received: MessageQueue)
        async
    {
        var buffer = ByteBuffer()
        let codec = WireCodec()
        do {
            for try await var chunk in inbound {
                buffer.writeBuffer(&chunk)
                while let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
                      buffer.readableBytes >= 4 + Int(length) {
                    buffer.moveReaderIndex(forwardBy: 4)
                    guard let body = buffer.readSlice(length: Int(length)) else { break }
                    await received.append(try codec.decode(body: body))
                }
            }
            await received.finish(error: nil)
        } catch {
            await received.finish(error: error)
        }
    }

    /// Writes `bytes` in one write (one flush).
    func write(_ bytes: [UInt8]) {
        outgoing.yield(.bytes(bytes))
    }

    /// Writes `message` as one valid frame.
    func send(_ message: WireMessage) throws {
        var buffer = ByteBuffer()
        try WireCodec().encodeFrame(message, into: &buffer)
        write(Array(buffer.readableBytesView))
    }

    /// Closes the connection from this side (TLS close_notify, then TCP close) after the writes queued so far.
    func close() {
        outgoing.yield(.close)
        outgoing.finish()
    }

    /// The next frame from the coordinator; throws if none arrives within `seconds` or the connection ended.
    func next(seconds: Double = 60) async throws -> WireMessage {
        let received = self.received
        return try await withDeadline(seconds: seconds) { try await received.next() }
    }

    /// Waits until the coordinator has closed the connection; returns the frames received before, in order.
    func closed(seconds: Double = 60) async throws -> [WireMessage] {
        let received = self.received
        return try await withDeadline(seconds: seconds) { try await received.drainUntilClosed() }
    }

    deinit {
        task.cancel()
        outgoing.finish()
    }
}

/// A frame header followed by `body`: 4-byte big-endian length, then the bytes.
func frame(_ body: [UInt8]) -> [UInt8] {
    frameHeader(UInt32(body.count)) + body
}

func frame(_ body: String) -> [UInt8] {
    frame(Array(body.utf8))
}

/// Only the 4-byte big-endian length prefix of a frame.
func frameHeader(_ length: UInt32) -> [UInt8] {
    [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
}
