import BenchCore
import BenchStore
import Foundation
import Testing

/// `mmmbench collect` as a real child process against a real trainer child process on loopback.
@Suite("collect: resume after kills", .serialized)
struct CollectResumeTests {
    /// Two days of the seed's six configs (18 jobs), no job gap, a short day gap.
    static let planText = """
        days: 2
        job_gap_seconds: 0
        day_gap_seconds: 200
        timeout_seconds: 60
        """

    @Test("SIGKILL mid-run, rerun: every job has exactly one result and finished jobs are not rerun")
    func sigkillResume() async throws {
        let dir = try TemporaryDirectory()
        // The first trainer answers six jobs and then hangs, so the kill lands mid-run however fast the machine is.
        let firstLog = dir.file("requests-1.jsonl")
        let (hanging, hangingURL) = try await startTrainer(
            ["--instant", "--request-log", firstLog, "--fault", "train-hang=6"])
        defer { hanging.signal(SIGTERM) }
        try Self.planText.write(toFile: dir.file("plan.yaml"), atomically: true, encoding: .utf8)
        func arguments(_ url: String) -> [String] {
            ["collect", "--trainer-url", url, "--plan", dir.file("plan.yaml"), "--db", dir.file("c.sqlite"),
             "--concurrency", "2", "--time-scale", "0.01"]
        }

        let first = try ChildProcess(arguments(hangingURL))
        let progressed = await first.waitForLine(timeout: .seconds(120)) { $0.contains("[6/18]") }
        #expect(progressed != nil, "no progress before the kill:\n\(first.text)")
        first.signal(SIGKILL)
        #expect(await first.waitForExit(timeout: .seconds(30)) != nil)

        let store = try BenchStore(path: dir.file("c.sqlite"))
        let collection = try #require(try store.currentCollection())
        let doneBeforeKill = Set(try store.countedMetrics(collectionID: collection.id).map(\.jobID))
        #expect(doneBeforeKill.count == 6, "\(doneBeforeKill)")

        let secondLog = dir.file("requests-2.jsonl")
        let (trainer, url) = try await startTrainer(["--instant", "--request-log", secondLog])
        defer { trainer.signal(SIGTERM) }
        let second = try ChildProcess(arguments(url))
        let status = await second.waitForExit(timeout: .seconds(240))
        #expect(status == 0, "resumed collect failed:\n\(second.text)")
        #expect(second.text.contains("resuming collection \(collection.id)"))

        let expected = Plan(days: 2).expandJobs().map(\.id)
        let metrics = try store.countedMetrics(collectionID: collection.id)
        #expect(metrics.map(\.jobID) == expected, "the final job set equals an uninterrupted run's")
        for id in expected {
            #expect(try store.resultCount(collectionID: collection.id, jobID: id, countedOnly: true) == 1, "\(id)")
        }
        #expect(metrics.allSatisfy { $0.success },
                "failed: \(metrics.filter { !$0.success }.map { "\($0.jobID): \($0.errorMessage ?? "?")" })")
        let before = try CollectionInvariants.trainRequests(log: firstLog)
        let after = try CollectionInvariants.trainRequests(log: secondLog)
        for id in doneBeforeKill {
            #expect(before[id] == 1 && after[id] == nil, "\(id) was done before the kill and must not be requested again")
        }
        for id in expected where !doneBeforeKill.contains(id) {
            #expect(after[id] == 1, "\(id) is requested once by the resumed run")
        }
        #expect(try store.status(collectionID: collection.id).completedAt != nil)
    }

    @Test("SIGINT stops cleanly with status 130; the rerun completes; report and status read the database")
    func sigintResumeAndReport() async throws {
        let dir = try TemporaryDirectory()
        // The first trainer answers three jobs and then hangs, so SIGINT lands mid-run with a request in flight.
        let (hanging, hangingURL) = try await startTrainer(["--instant", "--fault", "train-hang=3"])
        defer { hanging.signal(SIGTERM) }
        try Self.planText.write(toFile: dir.file("plan.yaml"), atomically: true, encoding: .utf8)
        let db = dir.file("c.sqlite")
        func arguments(_ url: String) -> [String] {
            ["collect", "--trainer-url", url, "--plan", dir.file("plan.yaml"), "--db", db, "--time-scale", "0.01"]
        }
        let first = try ChildProcess(arguments(hangingURL))
        #expect(await first.waitForLine(timeout: .seconds(120)) { $0.contains("[3/18]") } != nil)
        first.signal(SIGINT)
        #expect(await first.waitForExit(timeout: .seconds(30)) == 130, "\(first.text)")
        #expect(first.text.contains("run the same command to resume"))

        // While half done, status and report work from the database alone.
        let status = try ChildProcess(["status", "--db", db])
        #expect(await status.waitForExit(timeout: .seconds(30)) == 0)
        #expect(status.text.contains("jobs: 18 total"))
        #expect(status.text.contains("0 running"), "an interrupted run leaves no job assigned:\n\(status.text)")

        let (trainer, url) = try await startTrainer(["--instant"])
        defer { trainer.signal(SIGTERM) }
        let second = try ChildProcess(arguments(url))
        #expect(await second.waitForExit(timeout: .seconds(240)) == 0, "\(second.text)")

        let report = try ChildProcess(["report", "--db", db, "--out", dir.file("out")])
        #expect(await report.waitForExit(timeout: .seconds(30)) == 0, "\(report.text)")
        let json = try Data(contentsOf: URL(fileURLWithPath: dir.file("out/baseline_metrics.json")))
        let items = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        #expect(items.count == 18)
        #expect(Set(items.compactMap { $0["job_id"] as? String }).count == 18)
        let markdown = try String(contentsOfFile: dir.file("out/baseline_report.md"), encoding: .utf8)
        #expect(markdown.contains("- **Total Jobs**: 18"))
        #expect(markdown.contains("- **Success Rate**: 100.0%"))
        let csv = try String(contentsOfFile: dir.file("out/baseline_metrics.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 19)
    }

    @Test("a different plan on the same database is refused unless --new")
    func planMismatch() async throws {
        let dir = try TemporaryDirectory()
        let (trainer, url) = try await startTrainer(["--instant"])
        defer { trainer.signal(SIGTERM) }
        let db = dir.file("c.sqlite")
        try "days: 1\njob_gap_seconds: 0\n".write(toFile: dir.file("a.yaml"), atomically: true, encoding: .utf8)
        try "days: 2\njob_gap_seconds: 0\n".write(toFile: dir.file("b.yaml"), atomically: true, encoding: .utf8)
        let base = ["collect", "--trainer-url", url, "--db", db, "--time-scale", "0"]
        let first = try ChildProcess(base + ["--plan", dir.file("a.yaml")])
        #expect(await first.waitForExit() == 0, "\(first.text)")
        let refused = try ChildProcess(base + ["--plan", dir.file("b.yaml")])
        #expect(await refused.waitForExit() == 1)
        #expect(refused.text.contains("different plan"))
        #expect(refused.text.contains("--new"))
        let fresh = try ChildProcess(base + ["--plan", dir.file("b.yaml"), "--new"])
        #expect(await fresh.waitForExit() == 0, "\(fresh.text)")
        #expect(fresh.text.contains("started new collection"))
    }

    @Test("a broken plan file is refused with the field path, before touching the database")
    func brokenPlan() async throws {
        let dir = try TemporaryDirectory()
        try "jobs:\n  - {type: small, iterations: 0, trials: 1, countries: [fr]}\n"
            .write(toFile: dir.file("bad.yaml"), atomically: true, encoding: .utf8)
        let child = try ChildProcess(["collect", "--trainer-url", "http://127.0.0.1:9", "--plan", dir.file("bad.yaml"),
                                      "--db", dir.file("c.sqlite")])
        #expect(await child.waitForExit() != 0)
        #expect(child.text.contains("jobs[0].iterations: must be > 0"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("c.sqlite")))
    }
}
