import BenchTLS
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The server side of ``TLSBenchmark``: accepts mutual-TLS connections on 127.0.0.1 and counts completed
/// handshakes, so the memory measurement can wait until both sides of every connection are established.
struct TLSBenchmarkServer: Sendable {
    let channel: any Channel
    let handshakes: HandshakeCounter
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start(context: TLSContext) async throws -> TLSBenchmarkServer {
        let counter = HandshakeCounter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = OpenSSLHandler(context: context)
                    try channel.pipeline.syncOperations.addHandler(tls)
                    tls.handshakeCompleted.whenSuccess { _ in counter.increment() }
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TLSBenchmarkServer(channel: channel, handshakes: counter)
    }
}

/// Counts completed server handshakes and lets a task wait for a total.
final class HandshakeCounter: Sendable {
    private struct State {
        var count = 0
        var waiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = NIOLockedValueBox(State())

    var count: Int { state.withLockedValue { $0.count } }

    func increment() {
        let ready = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.count += 1
            let count = state.count
            let ready = state.waiters.filter { $0.target <= count }.map(\.continuation)
            state.waiters.removeAll { $0.target <= count }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns once at least `target` handshakes have completed.
    func wait(untilAtLeast target: Int) async {
        await withCheckedContinuation { continuation in
            let done = state.withLockedValue { state -> Bool in
                if state.count >= target { return true }
                state.waiters.append((target, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }
}
