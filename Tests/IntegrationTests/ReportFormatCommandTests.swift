import BenchCore
import BenchStore
import Foundation
import Testing

/// `mmmbench report --format`: only the formats named are written; an unknown one is refused with the list.
@Suite("report --format", .serialized)
struct ReportFormatCommandTests {
    /// A database with a one-day, two-job collection, one job measured.
    static func database(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.file("c.sqlite")
        let store = try BenchStore(path: path)
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"])])
        let t0 = Date(timeIntervalSince1970: 1_750_000_000)
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
        guard case .leased(let lease) = try store.leaseNextJob(collectionID: collection.id, agent: "a1",
                                                               leaseSeconds: 10, dayGapSeconds: 0, now: t0)
        else { throw IntegrationError("no lease") }
        let metric = BaselineMetric.failure(job: lease.job, startedAt: t0, durationMs: 5, httpStatus: 500, attempt: 1,
                                            agent: "a1", error: "<script>alert(1)</script>")
        _ = try store.recordResult(collectionID: collection.id, ResultSubmission(
            jobID: lease.job.id, attempt: 1, agent: "a1", metric: metric), now: t0 + 1)
        return path
    }

    @Test("--format html,md writes the HTML and markdown reports only, the error message escaped")
    func someFormats() async throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir)
        let out = dir.file("out")
        let report = try ChildProcess(["report", "--db", db, "--out", out, "--format", "html, md"])
        #expect(await report.waitForExit(timeout: .seconds(60)) == 0, "\(report.text)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["baseline_report.html", "baseline_report.md"])
        let html = try String(contentsOfFile: out + "/baseline_report.html", encoding: .utf8)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script"))
    }

    @Test("an unknown format is refused with the list of formats, nothing written")
    func unknownFormat() async throws {
        let dir = try TemporaryDirectory()
        let db = try Self.database(dir)
        let out = dir.file("out")
        let report = try ChildProcess(["report", "--db", db, "--out", out, "--format", "md,pdf"])
        #expect(await report.waitForExit(timeout: .seconds(60)) != 0)
        #expect(report.text.contains("'pdf'") && report.text.contains("md, json, csv, junit, html"), "\(report.text)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
