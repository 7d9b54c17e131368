import BenchAgent
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

/// A directory under the system temporary directory, removed when released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

func sampleResult(_ taskID: String, attempt: Int = 1, success: Bool = true) -> WireMessage.TaskResult {
    WireMessage.TaskResult(
        task: TaskRef(taskID: taskID, attempt: attempt),
        outcome: ["success": .bool(success), "duration_ms": 12.5, "job_id": .string(taskID), "figures": [1, 2]],
        finishedAt: WireTimestamp(rawValue: "2025-03-01T12:00:00.250Z")!)
}

@Suite("Outbox: results on disk until acknowledged")
struct OutboxTests {
    @Test("a stored result survives closing and reopening the file, byte for byte, and an ack removes it")
    func durableUntilAck() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("agent.outbox.sqlite")
        let first = sampleResult("baseline-1-1-fr")
        let second = sampleResult("baseline-1-2-uk", attempt: 2, success: false)
        do {
            let outbox = try Outbox(path: path)
            try outbox.store([first, second].map { OutboxEntry(result: $0, collectionID: "c-1") })
            outbox.close()
        }
        let reopened = try Outbox(path: path)
        #expect(try reopened.pendingResults() == [first, second])
        #expect(try reopened.pendingTasks() == [first.task, second.task])
        #expect(try reopened.remove([OutboxKey(collectionID: "c-1", task: first.task),
                                     OutboxKey(collectionID: "c-1", task: TaskRef(taskID: "never-stored", attempt: 1))])
                == 1)
        reopened.close()
        let again = try Outbox(path: path)
        #expect(try again.pendingTasks() == [second.task])
    }

    @Test("the writer runs with synchronous=FULL in WAL mode (GRDB's pool would leave NORMAL)")
    func durabilitySettings() throws {
        let directory = try TemporaryDirectory()
        let outbox = try Outbox(path: directory.file("o.sqlite"))
        #expect(try outbox.writerSynchronousMode() == 2)
        #expect(try outbox.journalMode() == "wal")
    }

    @Test("a second agent cannot open an outbox in use; it can once the first closed it")
    func exclusive() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("o.sqlite")
        let outbox = try Outbox(path: path)
        let error = #expect(throws: OutboxError.self) { try Outbox(path: path) }
        #expect(error?.code == .locked)
        outbox.close()
        #expect(throws: OutboxError.self) { try outbox.pendingTasks() }
        _ = try Outbox(path: path)
    }

    @Test("stores and deletions commit together, results stay oldest first, a repeated attempt keeps one row")
    func groupCommit() async throws {
        let directory = try TemporaryDirectory()
        let outbox = try Outbox(path: directory.file("o.sqlite"))
        let a = sampleResult("a")
        let b = sampleResult("b")
        let c = sampleResult("c")
        func tagged(_ results: WireMessage.TaskResult...) -> [OutboxEntry] {
            results.map { OutboxEntry(result: $0, collectionID: "c-1") }
        }
        try await outbox.apply(storing: tagged(a, b), removing: [])
        let deleted = try await outbox.apply(storing: tagged(c, sampleResult("a", success: false)),
                                             removing: [OutboxKey(collectionID: "c-1", task: b.task)])
        #expect(deleted == 1)
        let pending = try outbox.pendingResults()
        #expect(pending.map(\.task) == [c.task, a.task])
        #expect(pending.last?.outcome["success"] == .bool(false))
    }
}
