import Foundation
import Testing

/// `mmmbench collect`, `status` and `report` on an A/B plan, as real child processes against two real trainers.
@Suite("collect: A/B plan end to end", .serialized)
struct CollectTargetTests {
    @Test("collect runs both sides, status counts per side, report writes one seed report per side")
    func endToEnd() async throws {
        let dir = try TemporaryDirectory()
        let (baseline, baselineURL) = try await startTrainer(["--instant"])
        let (candidate, candidateURL) = try await startTrainer(["--instant"])
        defer {
            baseline.signal(SIGTERM)
            candidate.signal(SIGTERM)
        }
        try """
            days: 1
            job_gap_seconds: 0
            jobs: [{type: small, iterations: 5, trials: 1, countries: [fr, de]}]
            targets: {baseline: "\(baselineURL)", candidate: "\(candidateURL)"}

            """.write(toFile: dir.file("ab.yaml"), atomically: true, encoding: .utf8)
        let db = dir.file("ab.sqlite")
        let collect = try ChildProcess(["collect", "--plan", dir.file("ab.yaml"), "--db", db, "--time-scale", "0"])
        #expect(await collect.waitForExit() == 0, "\(collect.text)")

        let status = try ChildProcess(["status", "--db", db])
        #expect(await status.waitForExit() == 0, "\(status.text)")
        #expect(status.text.contains("jobs: 4 total, 4 done"))
        #expect(status.text.contains("target baseline: 2 total, 2 done, 0 running, 0 pending"))
        #expect(status.text.contains("target candidate: 2 total, 2 done, 0 running, 0 pending"))

        let report = try ChildProcess(["report", "--db", db, "--out", dir.file("out")])
        #expect(await report.waitForExit() == 0, "\(report.text)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out/baseline_report.md")))
        for side in ["baseline", "candidate"] {
            let markdown = try String(contentsOfFile: dir.file("out/baseline_report_\(side).md"), encoding: .utf8)
            #expect(markdown.contains("- **Successful Jobs**: 2"), "\(side):\n\(markdown)")
        }
        let json = try Data(contentsOf: URL(fileURLWithPath: dir.file("out/baseline_metrics.json")))
        let items = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        #expect(items.compactMap { $0["target"] as? String } == ["baseline", "candidate", "candidate", "baseline"])
        #expect(items.compactMap { $0["job_id"] as? String }
                == ["baseline-1-1-fr", "baseline-1-1-fr", "baseline-1-1-de", "baseline-1-1-de"])
        let csv = try String(contentsOfFile: dir.file("out/baseline_metrics.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").first?.hasSuffix(",target") == true)
    }

    @Test("--trainer-url with a plan that names targets is refused before touching the database")
    func trainerURLWithTargetsRefused() async throws {
        let dir = try TemporaryDirectory()
        try "targets: {baseline: 'http://127.0.0.1:9', candidate: 'http://127.0.0.1:10'}\n"
            .write(toFile: dir.file("ab.yaml"), atomically: true, encoding: .utf8)
        let child = try ChildProcess(["collect", "--trainer-url", "http://127.0.0.1:9", "--plan", dir.file("ab.yaml"),
                                      "--db", dir.file("c.sqlite")])
        #expect(await child.waitForExit() != 0)
        #expect(child.text.contains("cannot be combined with a plan that names targets"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("c.sqlite")))
        let missing = try ChildProcess(["collect", "--db", dir.file("c.sqlite")])
        #expect(await missing.waitForExit() != 0)
        #expect(missing.text.contains("--trainer-url is required"))
    }
}
