import BenchProtocol
import BenchWire
import Foundation
import Testing

/// What leaves a connection (agent or coordinator end), and in which order: batches in sending order, `started`
/// held for the next heartbeat and dropped when its result goes first (docs/protocol.md, "started"), the farewell
/// after everything queued, nothing after close.
@Suite("Wire: the batched outbound queue")
struct OutboundMessageQueueTests {
    static let ack = WireMessage.ack(.init(task: TaskRef(taskID: "t", attempt: 1), status: .committed))
    static let heartbeat = WireMessage.heartbeat(.init(sentAtMS: 7, running: []))

    static func started(_ id: String) -> WireMessage.Started {
        WireMessage.Started(task: TaskRef(taskID: id, attempt: 1),
                            startedAt: WireTimestamp(Date(timeIntervalSince1970: 0)))
    }

    static func result(_ id: String) -> WireMessage {
        .result(.init(task: TaskRef(taskID: id, attempt: 1), outcome: .object(["success": .bool(true)]),
                      finishedAt: WireTimestamp(Date(timeIntervalSince1970: 1))))
    }

    /// The type and task of each message, for comparing batches.
    static func summary(_ batch: [WireMessage]?) -> [String] {
        (batch ?? []).map { message in
            switch message {
            case .started(let started): "started \(started.task.taskID)"
            case .result(let result): "result \(result.task.taskID)"
            case .heartbeat: "heartbeat"
            case .ack: "ack"
            case .bye(let bye): "bye \(bye.reason)"
            default: "other"
            }
        }
    }

    @Test("everything queued is taken in one batch, in sending order")
    func batches() async {
        let queue = OutboundMessageQueue()
        queue.send([Self.ack, Self.heartbeat])
        queue.send(Self.result("a"))
        queue.send(contentsOf: [Self.ack].lazy)
        #expect(Self.summary(await queue.next()) == ["ack", "heartbeat", "result a", "ack"])
    }

    @Test("a waiting writer wakes on the next send with that batch")
    func wakes() async {
        let queue = OutboundMessageQueue()
        async let batch = queue.next()
        // The writer may or may not be waiting yet: either way it gets exactly this message.
        queue.send(Self.heartbeat)
        #expect(Self.summary(await batch) == ["heartbeat"])
    }

    @Test("a held started goes out just before the next heartbeat, in the order the attempts started")
    func heldUntilHeartbeat() async {
        let queue = OutboundMessageQueue()
        queue.hold(started: Self.started("a"))
        queue.hold(started: Self.started("b"))
        queue.send(Self.heartbeat)
        #expect(Self.summary(await queue.next()) == ["started a", "started b", "heartbeat"])
        queue.send(Self.heartbeat)
        #expect(Self.summary(await queue.next()) == ["heartbeat"])
    }

    @Test("a result sent before the heartbeat drops its attempt's started, and only that one")
    func resultDropsStarted() async {
        let queue = OutboundMessageQueue()
        queue.hold(started: Self.started("a"))
        queue.hold(started: Self.started("b"))
        queue.send(contentsOf: [Self.result("a")])
        #expect(Self.summary(await queue.next()) == ["result a"])
        queue.send(Self.heartbeat)
        #expect(Self.summary(await queue.next()) == ["started b", "heartbeat"])
    }

    @Test("many short attempts: every started is dropped and nothing is left for the heartbeat")
    func shortAttempts() async {
        let queue = OutboundMessageQueue()
        for index in 0..<1_000 {
            queue.hold(started: Self.started("j\(index)"))
            queue.send(Self.result("j\(index)"))
        }
        let results = Self.summary(await queue.next())
        #expect(results.count == 1_000 && results.allSatisfy { $0.hasPrefix("result") })
        queue.send(Self.heartbeat)
        #expect(Self.summary(await queue.next()) == ["heartbeat"])
    }

    @Test("after close, queued messages then the farewell are delivered, then nil; later sends are refused")
    func farewell() async {
        let queue = OutboundMessageQueue()
        queue.send(Self.ack)
        queue.hold(started: Self.started("a"))
        queue.close(farewell: .bye(.init(reason: "done")))
        queue.close(farewell: .bye(.init(reason: "second close is ignored")))
        #expect(!queue.send(Self.heartbeat))
        #expect(queue.isClosed)
        #expect(Self.summary(await queue.next()) == ["ack", "bye done"], "the held started is dropped")
        #expect(await queue.next() == nil)
    }

    @Test("closing while the writer waits hands it the farewell, then nil")
    func farewellToWaitingWriter() async {
        let queue = OutboundMessageQueue()
        let writer = Task { (await queue.next(), await queue.next()) }
        queue.close(farewell: .bye(.init(reason: "drained")))
        let (first, second) = await writer.value
        #expect(Self.summary(first) == ["bye drained"])
        #expect(second == nil)
    }

    @Test("closing and discarding drops what is queued: the writer gets nil")
    func discard() async {
        let queue = OutboundMessageQueue()
        queue.send(Self.result("a"))
        queue.close(discardingQueued: true)
        #expect(await queue.next() == nil)
        #expect(!queue.send(Self.result("b")))
    }

    @Test("cancelling a waiting writer closes the queue")
    func cancellation() async {
        let queue = OutboundMessageQueue()
        let writer = Task { await queue.next() }
        writer.cancel()
        #expect(await writer.value == nil)
        #expect(queue.isClosed)
        #expect(!queue.send(Self.ack))
    }
}
