@testable import BenchAgent
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

@Suite("Outbox: results tagged with their collection")
struct OutboxCollectionTests {
    @Test("one attempt may hold a result in several collections; an ack deletes its collection's row and an untagged one")
    func sameAttemptInTwoCollections() throws {
        let directory = try TemporaryDirectory()
        let outbox = try Outbox(path: directory.file("o.sqlite"))
        let old = OutboxEntry(result: sampleResult("baseline-1-1-fr"), collectionID: "c-old")
        let new = OutboxEntry(result: sampleResult("baseline-1-1-fr", success: false), collectionID: "c-new")
        try outbox.store([old, new])
        #expect(try outbox.pendingEntries() == [old, new])
        // Storing the same attempt of the same collection again replaces its row only.
        let newAgain = OutboxEntry(result: sampleResult("baseline-1-1-fr"), collectionID: "c-new")
        try outbox.store([newAgain])
        #expect(try outbox.pendingEntries() == [old, newAgain])
        #expect(try outbox.pendingTasks() == [old.result.task], "hello lists an attempt once")
        #expect(try outbox.remove([newAgain.key]) == 1)
        #expect(try outbox.pendingEntries() == [old])
        #expect(try outbox.pendingTasks() == [old.result.task])
    }

    @Test("an outbox written before collection tags opens with its rows untagged, in order, and stays writable")
    func legacyFileMigrates() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("legacy.sqlite")
        let first = sampleResult("baseline-1-1-fr")
        let second = sampleResult("baseline-1-2-uk", attempt: 2, success: false)
        do {
            let legacy = try Outbox(path: path, lastMigration: "v1-outbox-results")
            for result in [first, second] {
                let outcome = try LegacyCompactJSON.text(result.outcome).replacingOccurrences(of: "'", with: "''")
                try legacy.executeRawSQL("""
                    INSERT INTO outbox_result (task_id, attempt, outcome_json, finished_at)
                    VALUES ('\(result.task.taskID)', \(result.task.attempt), '\(outcome)', '\(result.finishedAt.rawValue)')
                    """)
            }
            legacy.close()
        }
        let outbox = try Outbox(path: path)
        #expect(try outbox.pendingEntries() == [OutboxEntry(result: first, collectionID: nil),
                                                OutboxEntry(result: second, collectionID: nil)])
        let tagged = OutboxEntry(result: sampleResult("baseline-9-9-de"), collectionID: "c-1")
        try outbox.store([tagged])
        #expect(try outbox.pendingTasks() == [first.task, second.task, tagged.result.task])
        // An ack from a coordinator of collection c-1 deletes the untagged row of that attempt.
        #expect(try outbox.remove([OutboxKey(collectionID: "c-1", task: first.task)]) == 1)
        #expect(try outbox.pendingEntries().map(\.result.task) == [second.task, tagged.result.task])
    }
}
