import BenchCore
import BenchObservability
import Foundation
import Logging
import Testing

/// `--log-format json`: every event is one line that parses as a JSON object with the fixed keys and the metadata.
@Suite("JSON log lines")
struct JSONLogHandlerTests {
    final class Lines: Sendable {
        private let lines = PThreadLockedValue<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    static func logger(_ lines: Lines, level: Logger.Level = .info) -> Logger {
        Logger(label: "mmmbench.test") { label in JSONLogHandler(label: label, logLevel: level, write: lines.append) }
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not an object: \(line)")
    }

    @Test("one object a line: timestamp, level, label, message, and the job's metadata with attempt as a number")
    func eventWithMetadata() throws {
        let lines = Lines()
        var logger = Self.logger(lines)
        logger[metadataKey: "collection"] = "c-1"
        logger.info("result baseline-1-1-US#2 from agent-1: ok\nsecond \"line\"",
                    metadata: ["job": "baseline-1-1-US", "attempt": .stringConvertible(2), "agent": "agent-1"])
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1 && !line.contains("\n"))
        let object = try Self.object(line)
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "mmmbench.test")
        #expect(object["message"] as? String == "result baseline-1-1-US#2 from agent-1: ok\nsecond \"line\"")
        #expect(object["collection"] as? String == "c-1")
        #expect(object["job"] as? String == "baseline-1-1-US")
        #expect(object["attempt"] as? Int == 2)
        #expect(object["agent"] as? String == "agent-1")
        let timestamp = try #require(object["timestamp"] as? String)
        let parsed = try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(timestamp)
        #expect(abs(parsed.timeIntervalSinceNow) < 3600, "\(timestamp)")
    }

    @Test("metadata cannot hide the fixed keys; nested values stay JSON; events below the level are dropped")
    func reservedKeysAndLevels() throws {
        let lines = Lines()
        let logger = Self.logger(lines, level: .notice)
        logger.info("dropped")
        logger.notice("kept", metadata: ["message": "shadow", "list": ["a", .stringConvertible(true)],
                                         "nested": ["k": .stringConvertible(1.5)]])
        #expect(lines.all.count == 1)
        let object = try Self.object(try #require(lines.all.first))
        #expect(object["message"] as? String == "kept")
        #expect(object["metadata.message"] as? String == "shadow")
        let list = try #require(object["list"] as? [Any])
        #expect(list.first as? String == "a" && list.last as? Bool == true)
        #expect((object["nested"] as? [String: Any])?["k"] as? Double == 1.5)
    }
}
