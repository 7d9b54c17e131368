import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// Opens TCP connections to a loopback port again and again, on a thread of its own, until told to stop: for tests
/// that stop a server while connections keep arriving. Each socket is closed right after its connect (the server
/// has still accepted the connection), so the test process holds one descriptor for it at a time: with hundreds
/// held open, descriptors above 1023 reached Foundation's `select`-based pipe reader in other tests of the same
/// process and corrupted its memory. A connect waits at most a second (`SO_SNDTIMEO`). A thread, not a task:
/// blocking `connect` calls on Swift's cooperative pool (two threads on a 2-core machine) starved the very server
/// being connected to.
public final class LoopbackConnector: Sendable {
    private let stopped = NIOLockedValueBox(false)
    private let finished: Task<Int, Never>
    /// One element at the first connection that succeeds; finished then or when the connecting ends without one.
    private let firstConnection: AsyncStream<Void>

    /// Starts connecting to `port` on 127.0.0.1, at most `limit` times.
    public init(port: Int, limit: Int = 2_000) {
        let stopped = self.stopped
        let (first, firstContinuation) = AsyncStream.makeStream(of: Void.self)
        firstConnection = first
        finished = Task {
            await withCheckedContinuation { continuation in
                Thread {
                    let connected = Self.connect(port: port, limit: limit, stopped: stopped) {
                        firstContinuation.yield()
                        firstContinuation.finish()
                    }
                    firstContinuation.finish()
                    continuation.resume(returning: connected)
                }.start()
            }
        }
    }

    /// Waits for the first connection that succeeds: true, or false when the connecting ended without one.
    public func connected() async -> Bool {
        for await _ in firstConnection { return true }
        return false
    }

    /// Stops connecting and returns how many connects succeeded.
    public func stop() async -> Int {
        stopped.withLockedValue { $0 = true }
        return await finished.value
    }

    /// Whether a TCP connect to `port` on 127.0.0.1 succeeds now (within a second).
    public static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return connect(descriptor, port: port)
    }

    private static func connect(
        port: Int, limit: Int, stopped: NIOLockedValueBox<Bool>, onFirst: () -> Void
    ) -> Int {
        var connected = 0
        for _ in 0..<limit where !stopped.withLockedValue({ $0 }) {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { break }
            let succeeded = connect(descriptor, port: port)
            close(descriptor)
            guard succeeded else { continue }
            connected += 1
            if connected == 1 { onFirst() }
        }
        return connected
    }

    private static func connect(_ descriptor: Int32, port: Int) -> Bool {
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
