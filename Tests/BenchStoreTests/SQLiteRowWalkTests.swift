@testable import BenchStore
import Foundation
import GRDB
import Testing

/// The report's walks of 10^6 rows read columns in place (``SQLiteRowWalk``) and make each distinct text a `String`
/// once (``TextInterner``): the values must be the ones GRDB reads, NULLs included, and a statement SQLite refuses
/// an error that says which.
@Suite("Store: rows read in place")
struct SQLiteRowWalkTests {
    @Test("texts, integers, reals and NULLs as GRDB reads them, arguments bound in order")
    func columns() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t(k TEXT, n INTEGER, x REAL)")
            try db.execute(sql: "INSERT INTO t VALUES ('é-1', 7, 2.5), ('a', -3, NULL), (NULL, 9, 1e300), ('b', 1, 0)")
        }
        let read: [(String, Int, Double?)] = try queue.read { db in
            let walk = try SQLiteRowWalk(db, sql: "SELECT k, n, x FROM t WHERE n > ? AND coalesce(k, '') <> ? ORDER BY n",
                                         arguments: [.int(-5), .text("b")])
            var rows: [(String, Int, Double?)] = []
            while try walk.step() {
                rows.append((String(decoding: walk.text(0), as: UTF8.self), walk.int(1), walk.double(2)))
            }
            #expect(try !walk.step(), "a finished walk stays finished")
            return rows
        }
        #expect(read.map(\.0) == ["a", "é-1", ""])
        #expect(read.map(\.1) == [-3, 7, 9])
        #expect(read.map(\.2) == [nil, 2.5, 1e300])
    }

    @Test("a statement SQLite refuses is an SQL error naming the statement")
    func refusedStatement() throws {
        let queue = try DatabaseQueue()
        _ = try queue.read { db in
            #expect {
                _ = try SQLiteRowWalk(db, sql: "SELECT x FROM nowhere", arguments: [])
            } throws: { error in
                guard let error = error as? StoreError else { return false }
                return error.kind == .sql && error.reason.contains("no such table: nowhere")
                    && error.reason.contains("SELECT x FROM nowhere")
            }
        }
    }

    @Test("each distinct text is made once; the same bytes give the same string, however many texts")
    func interner() {
        var interner = TextInterner()
        func string(_ text: String) -> String {
            var text = text
            return text.withUTF8 { interner.string(UnsafeRawBufferPointer($0)) }
        }
        let texts = (0..<300).map { "agent-\($0).example.internal" } + ["", "e\u{301}", "é", "a"]
        let first = texts.map(string)
        #expect(first == texts)
        // Asked again, in another order, after the table grew several times.
        #expect(texts.reversed().map(string) == texts.reversed())
        // Invalid UTF-8 is repaired as String(decoding:as:) does.
        let invalid: [UInt8] = [0x61, 0xff, 0x62]
        let repaired = invalid.withUnsafeBytes { interner.string($0) }
        #expect(repaired == String(decoding: invalid, as: UTF8.self))
    }
}
