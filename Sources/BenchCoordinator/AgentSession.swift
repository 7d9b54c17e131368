import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// One established agent connection as the scheduler and the connection's tasks share it: who it is, its
/// outbound mailbox, and when it was last heard from.
final class AgentSession: Sendable {
    /// Unique per connection (an agent name may reconnect with a new session).
    let id: UInt64
    /// The agent's identity: its certificate's common name.
    let name: String
    let remoteAddress: String
    let mailbox = OutboundMessageQueue()
    /// When the session was admitted (its hello arrived), on the connections' ``MonotonicClock``; heartbeats count
    /// from here.
    let admittedAt: Duration
    private let lastHeard: NIOLockedValueBox<Duration>
    /// Why this side closed the session, once it has (the connection then ends without being a peer's error).
    private let closing = NIOLockedValueBox<String?>(nil)

    init(id: UInt64, name: String, remoteAddress: SocketAddress?, admittedAt: Duration) {
        self.id = id
        self.name = name
        self.admittedAt = admittedAt
        self.remoteAddress = remoteAddress.map(Self.describe) ?? "unknown address"
        lastHeard = NIOLockedValueBox(admittedAt)
    }

    /// Records that a frame arrived at `time` (``MonotonicClock`` time).
    func heard(at time: Duration) {
        lastHeard.withLockedValue { $0 = max($0, time) }
    }

    /// When the last frame arrived (``MonotonicClock`` time).
    var lastHeardAt: Duration { lastHeard.withLockedValue { $0 } }

    /// Ends the session: queued messages and `bye` (with `reason`, if given) are written, then the connection
    /// closes.
    func close(reason: String?) {
        closing.withLockedValue { $0 = $0 ?? reason ?? "closed by the coordinator" }
        mailbox.close(farewell: reason.map { .bye(.init(reason: $0)) })
    }

    /// Why the coordinator closed this session itself (``close(reason:)``), nil while it has not.
    var closedByCoordinator: String? { closing.withLockedValue { $0 } }

    static func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        return address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
