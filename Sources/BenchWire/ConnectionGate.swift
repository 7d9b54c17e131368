import BenchJSON
import BenchProtocol
import Synchronization

/// Counts connections in a phase that costs the server memory but proves nothing about the peer yet (accepted but
/// not through the TLS handshake; authenticated but no `hello` yet) and refuses more than `limit` at a time, so
/// that idle or slow peers cannot pile up (file descriptors, TLS state) until the process runs out.
///
///     guard gate.enter() else { close(connection); return }   // over the limit: refused at once
///     defer { gate.leave() }                                  // exactly once per successful enter()
public final class ConnectionGate: Sendable {
    /// Most connections admitted into the phase at the same time.
    public let limit: Int
    private let count = Atomic<Int>(0)

    /// - Parameter limit: at least 1.
    public init(limit: Int) {
        precondition(limit >= 1, "a connection gate needs a limit of at least 1")
        self.limit = limit
    }

    /// Connections currently in the phase.
    public var current: Int { count.load(ordering: .relaxed) }

    /// Admits one connection; false (and nothing counted) when `limit` are already in the phase.
    public func enter() -> Bool {
        var current = count.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = count.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Ends the phase of a connection admitted by ``enter()``.
    public func leave() {
        count.subtract(1, ordering: .relaxed)
    }
}
