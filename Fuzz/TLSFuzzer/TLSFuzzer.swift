// libFuzzer entry point for the TLS handler (`OpenSSLHandler` over `TLSEngine`, system OpenSSL).
// Built by Fuzz/run-fuzzer.sh tls into one module together with Sources/BenchTLS (so internals are visible and our
// TLS code is instrumented); not part of the SwiftPM package.
//
// Input layout (every byte string is a valid input; missing bytes read as 0):
//   byte 0  options: bits 0-1 the mode (0 server, TLS 1.3 only as the product's default; 1 server that also accepts
//           TLS 1.2; 2 client, after it has written its ClientHello; 3 a server after a real mutual-TLS handshake
//           with a client); bit 2 the application writes before the handshake completes (a buffered write); bit 3
//           the connection ends with our close() (otherwise with the peer's EOF); bit 4 the handshake timeout
//           expires before the end; bit 5 (mode 3) the client sends close_notify before the fuzzed bytes.
//   byte 1  chunk size of the fuzzed bytes (0: one chunk), so TLS records are split across reads in every way.
//   byte 2  (mode 3) how many of the following bytes the real client sends as encrypted application data first.
//   rest    the bytes the peer "sent", delivered as inbound ciphertext.
//
// A TLS error is the expected answer to garbage. A finding is a crash, a sanitizer report, a hang (libFuzzer's
// -timeout), an error that is not a TLSError, a write promise left pending, or a handler (with its SSL object) that
// outlives its channel.
//
// MMMBENCH_TLS_FUZZ_SEEDS=DIR writes the seed corpus (real first flights of each role) into DIR and exits.

import Foundation
import NIOCore
import NIOEmbedded

/// The contexts of a coordinator (server) and an agent (client), built once from a fresh CA.
private struct FuzzContexts: Sendable {
    let server: TLSContext
    let serverAcceptingTLS12: TLSContext
    let client: TLSContext

    static let shared = make()

    /// A CA, a server certificate for `localhost` and a client certificate for `agent-1`, made by
    /// ``CertificateAuthority`` in a temporary directory that is removed once the contexts have loaded them.
    private static func make() -> FuzzContexts {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-tls-fuzz-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let authority = try CertificateAuthority.create(in: directory, force: true)
            let server = try authority.issueServerCertificate(
                subjectAlternativeNames: [.dns("localhost"), .ip("127.0.0.1")], force: true)
            let agent = try authority.issueClientCertificate(agentName: "agent-1", force: true)
            func configuration(_ files: CertificateFiles, minimumVersion: TLSVersion) -> TLSConfiguration {
                TLSConfiguration(
                    certificateChainPath: files.certificatePath, privateKeyPath: files.privateKeyPath,
                    trustRootsPath: authority.certificatePath, minimumVersion: minimumVersion)
            }
            return FuzzContexts(
                server: try TLSContext(configuration: configuration(server, minimumVersion: .v1_3), role: .server),
                serverAcceptingTLS12: try TLSContext(
                    configuration: configuration(server, minimumVersion: .v1_2), role: .server),
                client: try TLSContext(configuration: configuration(agent, minimumVersion: .v1_3), role: .client))
        } catch {
            fatalError("tls fuzzer: could not build the certificates and contexts: \(error)")
        }
    }
}

/// The options of one input (byte 0 and 1 of the layout above).
private struct FuzzOptions {
    enum Mode { case server, serverAcceptingTLS12, client, established }

    let mode: Mode
    let writeBeforeHandshake: Bool
    let endWithClose: Bool
    let expireHandshakeTimeout: Bool
    let clientSendsCloseNotify: Bool
    let chunkSize: Int

    init(_ options: UInt8, chunk: UInt8) {
        mode = switch options & 3 {
        case 0: .server
        case 1: .serverAcceptingTLS12
        case 2: .client
        default: .established
        }
        writeBeforeHandshake = options & 4 != 0
        endWithClose = options & 8 != 0
        expireHandshakeTimeout = options & 16 != 0
        clientSendsCloseNotify = options & 32 != 0
        chunkSize = chunk == 0 ? Int.max : Int(chunk)
    }
}

/// Marks a feature in the extra coverage counters (FeatureCounters.c): OpenSSL is not instrumented, so what it
/// answered is how the fuzzer tells an input that got deeper into its parsers from one that did not.
@_silgen_name("mmmbench_tls_fuzz_mark")
private func markFeature(_ feature: UInt)

/// FNV-1a: the same hash in every process (Swift's `Hasher` is seeded per process).
private struct FeatureHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    }

    func mark() { markFeature(UInt(truncatingIfNeeded: value)) }
}

/// Sits after the handler: keeps what reaches the end of the pipeline, so the channel does not rethrow errors.
private final class FuzzRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    var handshakeCompleted = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is TLSHandshakeCompleted { handshakeCompleted = true }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? TLSError else {
            fatalError("OpenSSLHandler fired a non-TLSError: \(type(of: error)) \(error)")
        }
        // The error and OpenSSL's reasons (`error:0A00010B:SSL routines::wrong version number`, ...).
        var hash = FeatureHash()
        hash.add("\(error.code) \(error.operation)".utf8)
        for text in error.openSSLErrors { hash.add(text.utf8) }
        hash.mark()
    }
}

/// One endpoint: an `EmbeddedChannel` with an `OpenSSLHandler` and a recorder.
private final class FuzzEndpoint {
    let channel = EmbeddedChannel()
    let handler: OpenSSLHandler
    let recorder = FuzzRecorder()

    init(context: TLSContext) {
        handler = OpenSSLHandler(context: context, serverHostname: context.role == .client ? "localhost" : nil)
        do {
            try channel.pipeline.syncOperations.addHandlers([handler, recorder])
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        } catch {
            fatalError("tls fuzzer: pipeline setup failed: \(error)")
        }
    }

    /// Everything the handler wrote to the network since the last call.
    func takeOutput() -> [ByteBuffer] {
        var output: [ByteBuffer] = []
        // Bounded: each call removes one buffer the handler wrote; it cannot write while we read.
        for _ in 0..<100_000 {
            guard let buffer = try? channel.readOutbound(as: ByteBuffer.self) else { break }
            output.append(buffer)
        }
        return output
    }

    /// Delivers `bytes` as inbound ciphertext in chunks of at most `chunkSize`, draining output after each.
    func deliver(_ bytes: UnsafeBufferPointer<UInt8>, chunkSize: Int) {
        var offset = 0
        while offset < bytes.count, channel.isActive {
            let end = offset + min(chunkSize, bytes.count - offset)
            deliver(ByteBuffer(bytes: UnsafeBufferPointer(rebasing: bytes[offset..<end])))
            offset = end
        }
    }

    /// Delivers one buffer of inbound ciphertext and returns what the handler wrote in answer.
    @discardableResult
    func deliver(_ buffer: ByteBuffer) -> [ByteBuffer] {
        guard channel.isActive else { return [] }
        do {
            try channel.writeInbound(buffer)
        } catch {
            fatalError("writeInbound threw although the recorder consumes errors: \(error)")
        }
        channel.embeddedEventLoop.run()
        let output = takeOutput()
        for buffer in output {
            // What OpenSSL answered: the record type, the handshake message type, or the alert (unencrypted ones).
            var hash = FeatureHash()
            let head = buffer.readableBytesView.prefix(7)
            hash.add(head.prefix(1))
            hash.add(head.dropFirst(5).prefix(head.first == 0x15 ? 2 : 1))
            hash.mark()
        }
        return output
    }

    /// Ends the connection as the options say and checks that the handler let go of its OpenSSL objects.
    func end(_ options: FuzzOptions) {
        if options.expireHandshakeTimeout {
            channel.embeddedEventLoop.advanceTime(by: .seconds(11))
        }
        if options.endWithClose {
            channel.close(promise: nil)
        } else {
            channel.pipeline.fireChannelInactive()
        }
        channel.embeddedEventLoop.run()
        _ = takeOutput()
        do {
            _ = try channel.finish(acceptAlreadyClosed: true)
        } catch {
            fatalError("EmbeddedChannel.finish failed: \(error)")
        }
        guard handler.engine == nil else { fatalError("the channel is closed but the handler still holds its SSL") }
    }
}

/// A write issued by the application whose promise must complete (succeed or fail) by the end of the input.
private final class PendingWrite {
    var completed = false

    init(on endpoint: FuzzEndpoint) {
        let promise = endpoint.channel.embeddedEventLoop.makePromise(of: Void.self)
        promise.futureResult.assumeIsolated().whenComplete { _ in self.completed = true }
        endpoint.channel.writeAndFlush(ByteBuffer(string: "{\"type\":\"hello\"}"), promise: promise)
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func tlsFuzzerInitialize(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
) -> CInt {
    _ = FuzzContexts.shared
    if let directory = ProcessInfo.processInfo.environment["MMMBENCH_TLS_FUZZ_SEEDS"] {
        writeSeeds(to: directory)
        exit(0)
    }
    return 0
}

/// Feeds the input to a server or client `OpenSSLHandler` (see the layout at the top of the file).
@_cdecl("LLVMFuzzerTestOneInput")
public func tlsFuzzerTestOneInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    let options = FuzzOptions(bytes.first ?? 0, chunk: count > 1 ? bytes[1] : 0)
    let payload = UnsafeBufferPointer(rebasing: bytes[min(count, 2)...])
    weak var released: OpenSSLHandler?
    switch options.mode {
    case .server, .serverAcceptingTLS12, .client:
        released = runSingle(payload, options: options)
    case .established:
        released = runEstablished(payload, options: options)
    }
    guard released == nil else { fatalError("an OpenSSLHandler (and its SSL object) outlived its channel") }
    return 0
}

/// A server or a client (which has written its ClientHello) receives the payload.
private func runSingle(_ payload: UnsafeBufferPointer<UInt8>, options: FuzzOptions) -> OpenSSLHandler {
    let contexts = FuzzContexts.shared
    let context = switch options.mode {
    case .server: contexts.server
    case .serverAcceptingTLS12: contexts.serverAcceptingTLS12
    case .client, .established: contexts.client
    }
    let endpoint = FuzzEndpoint(context: context)
    _ = endpoint.takeOutput()  // a client's ClientHello
    let write = options.writeBeforeHandshake ? PendingWrite(on: endpoint) : nil
    endpoint.deliver(payload, chunkSize: options.chunkSize)
    endpoint.end(options)
    if let write, !write.completed { fatalError("a write's promise was left pending after the channel closed") }
    return endpoint.handler
}

/// A real mutual-TLS handshake between a client and a server; then the client sends the payload's first bytes as
/// application data (and close_notify when asked) and the server receives the rest as raw ciphertext.
private func runEstablished(_ payload: UnsafeBufferPointer<UInt8>, options: FuzzOptions) -> OpenSSLHandler {
    let contexts = FuzzContexts.shared
    let server = FuzzEndpoint(context: contexts.server)
    let client = FuzzEndpoint(context: contexts.client)
    let write = options.writeBeforeHandshake ? PendingWrite(on: server) : nil
    // Bounded: a TLS 1.3 handshake settles in two round trips.
    var toServer = client.takeOutput()
    for _ in 0..<16 where !toServer.isEmpty {
        let toClient = toServer.flatMap { server.deliver($0) }
        toServer = toClient.flatMap { client.deliver($0) }
    }
    guard server.recorder.handshakeCompleted, client.recorder.handshakeCompleted else {
        fatalError("the in-memory handshake between our own client and server failed")
    }
    let plaintextCount = min(Int(payload.first ?? 0), max(0, payload.count - 1))
    let rest = UnsafeBufferPointer(rebasing: payload[min(payload.count, 1 + plaintextCount)...])
    if plaintextCount > 0 {
        client.channel.writeAndFlush(
            ByteBuffer(bytes: UnsafeBufferPointer(rebasing: payload[1..<(1 + plaintextCount)])), promise: nil)
    }
    if options.clientSendsCloseNotify {
        client.channel.close(promise: nil)
    }
    client.channel.embeddedEventLoop.run()
    for buffer in client.takeOutput() { server.deliver(buffer) }
    server.deliver(rest, chunkSize: options.chunkSize)
    server.end(options)
    client.end(FuzzOptions(8, chunk: 0))
    if let write, !write.completed { fatalError("a write's promise was left pending after the channel closed") }
    return server.handler
}

// MARK: - Seed corpus

/// Writes real first flights: a ClientHello for each server mode and chunking, the server's answer for the client
/// mode, and a few inputs for the established mode.
private func writeSeeds(to directory: String) {
    let contexts = FuzzContexts.shared
    let client = FuzzEndpoint(context: contexts.client)
    let clientHello = client.takeOutput().reduce(into: [UInt8]()) { $0 += $1.readableBytesView }
    let server = FuzzEndpoint(context: contexts.server)
    let serverFlight = clientHello.withUnsafeBufferPointer { server.deliver(ByteBuffer(bytes: $0)) }
        .reduce(into: [UInt8]()) { $0 += $1.readableBytesView }
    let seeds: [(String, [UInt8])] = [
        ("empty", []),
        ("server-client-hello", [0, 0] + clientHello),
        ("server-client-hello-chunked-5", [8, 5] + clientHello),
        ("server-tls12-client-hello", [1, 0] + clientHello),
        ("server-client-hello-write-timeout", [4 | 16, 0] + clientHello),
        ("client-server-flight", [2, 0] + serverFlight),
        ("client-server-flight-chunked-100", [2 | 8, 100] + serverFlight),
        ("established-application-data", [3, 0, 5] + Array("hello".utf8) + [0x17, 0x03, 0x03, 0x00, 0x01, 0x00]),
        ("established-close-notify", [3 | 32, 0, 0] + [0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00]),
    ]
    do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, bytes) in seeds {
            try Data(bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
        }
    } catch {
        fatalError("could not write the seed corpus: \(error)")
    }
}
