import BenchCore
import BenchStore
import Foundation
import Testing

/// `mmmbench report` and `mmmbench status` on a database holding only standalone test suite runs.
@Suite("report and status: standalone test suite runs", .serialized)
struct ReportCommandCheckTests {
    /// A database with one standalone suite run (no collection): one check passed, one failed.
    static func database(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.file("suite.sqlite")
        let store = try BenchStore(path: path)
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        let report = TestSuiteReport(
            suiteRunID: "s-0000abcd", phase: .standalone, target: "http://127.0.0.1:8080", startedAt: start,
            outcomes: [
                CheckOutcome(check: .health, status: .pass, durationSeconds: 0.01, startedAt: start),
                CheckOutcome(check: .costEfficiency, status: .fail, durationSeconds: 0.01, startedAt: start,
                             reason: "memory usage 0.2 % is not above 10.0 %"),
            ], disabled: [])
        try store.recordTestSuiteReport(report, collectionID: nil, settings: CheckSettings())
        return path
    }

    @Test("report writes the test reports and says there is no baseline collection")
    func reportWithoutCollection() async throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir)
        let out = dir.file("reports")
        let report = try ChildProcess(["report", "--db", db, "--out", out])
        let status = await report.waitForExit(timeout: .seconds(60))
        #expect(status == 0, "\(report.text)")
        #expect(report.text.contains("no baseline collection"))
        for name in ["test_report.md", "test_report.junit.xml", "test_report.json"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "missing \(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: out + "/baseline_report.md"))
        let markdown = try String(contentsOfFile: out + "/test_report.md", encoding: .utf8)
        #expect(markdown.contains("- **Total Tests**: 2"))
    }

    @Test("status lists the suite runs of a database without a collection")
    func statusWithoutCollection() async throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir)
        let status = try ChildProcess(["status", "--db", db])
        #expect(await status.waitForExit(timeout: .seconds(60)) == 0, "\(status.text)")
        #expect(status.text.contains("no collection"))
        #expect(status.text.contains("test suite standalone s-0000abcd: 1 passed, 1 failed, 0 errors; complete at"))
    }
}
