import BenchJSON
import BenchProtocol
import BenchTLS
import BenchWire
import Foundation
import NIOCore
import Synchronization

/// A tiny agent driven by the test: real TLS via `WireClient`, messages sent when the test says, received
/// messages queued for the test to read with a deadline.
final class ScriptedAgent: Sendable {
    private let outgoing: AsyncStream<WireMessage>.Continuation
    private let received = MessageQueue()
    private let task: Task<Void, Never>

    private init(connection: WireConnection) {
        let (stream, outgoing) = AsyncStream.makeStream(of: WireMessage.self)
        self.outgoing = outgoing
        let received = self.received
        task = Task {
            do {
                try await connection.channel.executeThenClose { inbound, outbound in
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await message in stream {
                                do {
                                    try await outbound.write(message)
                                } catch {
                                    return
                                }
                            }
                        }
                        do {
                            for try await message in inbound { await received.append(message) }
                            await received.finish(error: nil)
                        } catch {
                            await received.finish(error: error)
                        }
                        group.cancelAll()
                    }
                }
            } catch {
                await received.finish(error: error)
            }
        }
    }

    static func connect(port: Int, context: TLSContext) async throws -> ScriptedAgent {
        let connection = try await WireClient.connect(host: "127.0.0.1", port: port, tlsContext: context,
                                                      serverHostname: "127.0.0.1")
        return ScriptedAgent(connection: connection)
    }

    func send(_ message: WireMessage) {
        outgoing.yield(message)
    }

    /// The next message from the coordinator; throws if none arrives within `seconds` or the connection ended.
    func next(seconds: Double = 90) async throws -> WireMessage {
        let received = self.received
        return try await withDeadline(seconds: seconds) { try await received.next() }
    }

    /// Reads messages until one satisfies `match`, skipping heartbeats and anything else.
    func next<T: Sendable>(seconds: Double = 90, _ match: @escaping @Sendable (WireMessage) -> T?) async throws -> T {
        let received = self.received
        return try await withDeadline(seconds: seconds) {
            while true {
                if let value = match(try await received.next()) { return value }
            }
        }
    }

    func welcome() async throws -> WireMessage.Welcome {
        try await next { if case .welcome(let welcome) = $0 { welcome } else { nil } }
    }

    func assign() async throws -> WireMessage.Assign {
        try await next { if case .assign(let assign) = $0 { assign } else { nil } }
    }

    func ack() async throws -> WireMessage.Ack {
        try await next { if case .ack(let ack) = $0 { ack } else { nil } }
    }

    /// Waits for `drain`, then says `bye` and closes, as a real agent with nothing running does.
    func leaveAfterDrain() async throws {
        _ = try await next { if case .drain = $0 { true } else { nil } }
        send(.bye(.init(reason: "drained")))
        close()
    }

    /// Waits until the coordinator closes the connection; returns the messages received before.
    func closed(seconds: Double = 90) async throws -> [WireMessage] {
        let received = self.received
        return try await withDeadline(seconds: seconds) { try await received.drainUntilClosed() }
    }

    /// Stops writing (closing the connection from this side).
    func close() {
        outgoing.finish()
    }

    /// Stops everything at once, as a killed process would.
    func kill() {
        task.cancel()
        outgoing.finish()
    }

    deinit {
        task.cancel()
        outgoing.finish()
    }
}

/// Messages received by a scripted agent, read in order by the test.
actor MessageQueue {
    private var buffer: [WireMessage] = []
    private var ended = false
    private var endError: (any Error)?
    private var waiter: CheckedContinuation<Void, Never>?

    func append(_ message: WireMessage) {
        buffer.append(message)
        waiter?.resume()
        waiter = nil
    }

    func finish(error: (any Error)?) {
        guard !ended else { return }
        ended = true
        endError = error
        waiter?.resume()
        waiter = nil
    }

    func next() async throws -> WireMessage {
        while buffer.isEmpty {
            if ended { throw ConnectionEnded(error: endError.map { "\($0)" }) }
            try await waitForChange()
        }
        return buffer.removeFirst()
    }

    func drainUntilClosed() async throws -> [WireMessage] {
        while !ended { try await waitForChange() }
        defer { buffer = [] }
        return buffer
    }

    /// Waits for the next message or the end; cancellation (a test deadline) ends the wait.
    private func waitForChange() async throws {
        try Task.checkCancellation()
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiter = $0 }
        } onCancel: {
            Task { await self.wakeWaiter() }
        }
        try Task.checkCancellation()
    }

    private func wakeWaiter() {
        waiter?.resume()
        waiter = nil
    }
}

struct ConnectionEnded: Error, CustomStringConvertible {
    let error: String?
    var description: String { "the connection ended" + (error.map { ": \($0)" } ?? "") }
}
