@testable import BenchAgent
import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

/// What leaves an agent's connection, and in which order: `started` waits for the next heartbeat and is dropped
/// when the attempt's result goes out first (docs/protocol.md, "started").
@Suite("Agent: outbound queue")
struct OutboundQueueTests {
    static func started(_ id: String) -> WireMessage.Started {
        WireMessage.Started(task: TaskRef(taskID: id, attempt: 1),
                            startedAt: WireTimestamp(Date(timeIntervalSince1970: 0)))
    }

    static func result(_ id: String) -> WireMessage {
        .result(.init(task: TaskRef(taskID: id, attempt: 1), outcome: .object(["success": .bool(true)]),
                      finishedAt: WireTimestamp(Date(timeIntervalSince1970: 1))))
    }

    static let heartbeat = WireMessage.heartbeat(.init(sentAtMS: 7, running: []))

    /// The type and task of each message, for comparing batches.
    static func summary(_ batch: [WireMessage]?) -> [String] {
        (batch ?? []).map { message in
            switch message {
            case .started(let started): "started \(started.task.taskID)"
            case .result(let result): "result \(result.task.taskID)"
            case .heartbeat: "heartbeat"
            default: "other"
            }
        }
    }

    @Test("a held started goes out just before the next heartbeat, in the order the attempts started")
    func heldUntilHeartbeat() async {
        let queue = OutboundQueue()
        queue.hold(started: Self.started("a"))
        queue.hold(started: Self.started("b"))
        queue.send(Self.heartbeat)
        #expect(Self.summary(await queue.next()) == ["started a", "started b", "heartbeat"])
        queue.send(Self.heartbeat)
        #expect(Self.summary(await queue.next()) == ["heartbeat"])
    }

    @Test("a result sent before the heartbeat drops its attempt's started, and only that one")
    func resultDropsStarted() async {
        let queue = OutboundQueue()
        queue.hold(started: Self.started("a"))
        queue.hold(started: Self.started("b"))
        queue.send(contentsOf: [Self.result("a")])
        #expect(Self.summary(await queue.next()) == ["result a"])
        queue.send(Self.heartbeat)
        #expect(Self.summary(await queue.next()) == ["started b", "heartbeat"])
    }

    @Test("many short attempts: every started is dropped and nothing is left for the heartbeat")
    func shortAttempts() async {
        let queue = OutboundQueue()
        for index in 0..<1_000 {
            queue.hold(started: Self.started("j\(index)"))
            queue.send(Self.result("j\(index)"))
        }
        let results = Self.summary(await queue.next())
        #expect(results.count == 1_000 && results.allSatisfy { $0.hasPrefix("result") })
        queue.send(Self.heartbeat)
        #expect(Self.summary(await queue.next()) == ["heartbeat"])
    }

    @Test("a held started does not leave with other messages; a finished queue drops what it held")
    func heldNotSentWithOthers() async {
        let queue = OutboundQueue()
        queue.hold(started: Self.started("a"))
        queue.send(Self.result("b"))
        #expect(Self.summary(await queue.next()) == ["result b"])
        queue.finish()
        queue.send(Self.heartbeat)
        #expect(await queue.next() == nil)
    }
}
