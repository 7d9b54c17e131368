import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire
import NIOCore
import TestTiming

/// A tiny coordinator a test drives by hand: a real `WireServer` on 127.0.0.1 port 0 with real TLS, handing each
/// authenticated connection to the test as a ``ScriptedConnection``.
final class ScriptedCoordinator: Sendable {
    let server: WireServer
    private let connections = Mailbox<ScriptedConnection>()
    private let serving: Task<Void, any Error>

    var port: Int { server.port }

    init(fixture: AgentTLSFixture) async throws {
        server = try await WireServer.bind(host: "127.0.0.1", port: 0, tlsContext: fixture.serverContext)
        let server = self.server
        let connections = self.connections
        serving = Task {
            try await server.run { connection in
                try await connection.channel.executeThenClose { inbound, outbound in
                    let scripted = ScriptedConnection(
                        peer: connection.peer, outbound: outbound, channel: connection.channel.channel)
                    connections.put(scripted)
                    do {
                        for try await message in inbound { scripted.inbox.put(message) }
                    } catch {
                        // The agent broke the connection; the test sees the inbox end.
                    }
                    scripted.inbox.finish()
                }
            }
        }
    }

    /// The next connection the agent opens (bounded wait).
    func nextConnection(seconds: Double = 90) async throws -> ScriptedConnection {
        try await withDeadline(seconds: seconds, "agent connection") { [connections] in
            guard let connection = await connections.next() else {
                throw DeadlineExceeded(seconds: seconds, what: "agent connection")
            }
            return connection
        }
    }

    /// Stops listening and waits for every connection handler to return.
    func stop() async {
        await server.close()
        _ = try? await serving.value
    }
}

/// One agent connection as the test sees it.
final class ScriptedConnection: Sendable {
    let peer: TLSPeerIdentity
    let inbox = Mailbox<WireMessage>()
    private let outbound: NIOAsyncChannelOutboundWriter<WireMessage>
    private let channel: any Channel

    init(peer: TLSPeerIdentity, outbound: NIOAsyncChannelOutboundWriter<WireMessage>, channel: any Channel) {
        self.peer = peer
        self.outbound = outbound
        self.channel = channel
    }

    func send(_ message: WireMessage) async throws {
        try await outbound.write(message)
    }

    /// Closes the connection abruptly (no bye), like a coordinator crash or a network cut.
    func drop() async {
        try? await channel.close()
    }

    /// The next message for which `match` returns a value, skipping others (heartbeats, `started`); throws when
    /// the connection ends or nothing arrives within `seconds`.
    func receive<T: Sendable>(
        seconds: Double = 90, _ what: String, _ match: @escaping @Sendable (WireMessage) -> T?
    ) async throws -> T {
        try await withDeadline(seconds: seconds, what) { [inbox] in
            while let message = await inbox.next() {
                if let value = match(message) { return value }
            }
            throw ConnectionEnded(what: what)
        }
    }

    func receiveHello() async throws -> WireMessage.Hello {
        try await receive("hello") { if case .hello(let hello) = $0 { hello } else { nil } }
    }

    func receiveResult() async throws -> WireMessage.TaskResult {
        try await receive("result") { if case .result(let result) = $0 { result } else { nil } }
    }

    func receiveBye() async throws -> WireMessage.Bye {
        try await receive("bye") { if case .bye(let bye) = $0 { bye } else { nil } }
    }

    /// Waits until the agent closes the connection (bounded), ignoring whatever it still sends.
    func waitUntilClosed(seconds: Double = 90) async throws {
        try await withDeadline(seconds: seconds, "connection close") { [inbox] in
            while await inbox.next() != nil {}
        }
    }

    /// Sends `welcome` with the given heartbeat settings, for collection `collectionID`.
    func welcome(
        intervalMS: Int = 60_000, timeoutMS: Int = Int(TestTiming.milliseconds(120_000)),
        reattached: [TaskRef] = [], cancelled: [TaskRef] = [], collectionID: String = "c-test"
    ) async throws {
        try await send(.welcome(.init(
            agentID: peer.commonName ?? "?", collectionID: collectionID, heartbeatIntervalMS: intervalMS,
            heartbeatTimeoutMS: timeoutMS, reattached: reattached, cancelled: cancelled)))
    }
}

/// The connection ended before the awaited message arrived.
struct ConnectionEnded: Error, CustomStringConvertible {
    let what: String
    var description: String { "connection ended while waiting for \(what)" }
}
