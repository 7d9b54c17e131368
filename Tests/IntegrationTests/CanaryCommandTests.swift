import Foundation
import Testing
import TestTiming

/// `mmmbench canary` against two real trainers whose answer times differ by a known factor: a bounded A/B collection, the
/// paired verdict as the exit code, and the rollback command on fail.
@Suite("canary: the gate on real trainers", .serialized)
struct CanaryCommandTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// 12 pairs of two sizes against trainers answering after a fixed wait (800 ms and 200 ms, so about -75 %; see
    /// CompareCommandTests for why a wait and not fitting work). Targets the measured change clears with margin on a
    /// loaded machine: 12 successes of 12 give a Wilson lower bound of 75.7 %, jobs this short cost $0 after the
    /// seed's rounding.
    static let planText = """
        days: 2
        job_gap_seconds: 0
        day_gap_seconds: 0
        timeout_seconds: 120
        jobs:
          - {type: small, iterations: 100, trials: 1, countries: [fr, de, uk]}
          - {type: large, iterations: 100, trials: 2, countries: [fr, de, uk]}
        """
    static let targets = ["--target", "duration=-20%", "--target", "success=70%", "--target", "cost=off"]

    static func canary(_ arguments: [String]) async throws -> (status: Int32?, text: String) {
        let child = try ChildProcess(["canary"] + arguments)
        let status = await child.waitForExit(timeout: .seconds(240))
        return (status, child.text)
    }

    @Test("faster candidate -> pass (0), rollback not run; slower -> fail (1), rollback.sh runs with the verdict",
          .timeLimit(.minutes(TestTiming.minutes(8))))
    func gate() async throws {
        let dir = try TemporaryDirectory()
        try Self.planText.write(toFile: dir.file("plan.yaml"), atomically: true, encoding: .utf8)
        let (full, fullURL) = try await startTrainer(["--instant", "--fault", "train-delay=800"])
        defer { full.signal(SIGTERM) }
        let (half, halfURL) = try await startTrainer(["--instant", "--fault", "train-delay=200"])
        defer { half.signal(SIGTERM) }
        let rollback = Self.repositoryRoot.appendingPathComponent("deploy/rollback.sh").path
        let onFail = "echo \"$MMMBENCH_VERDICT $MMMBENCH_COMPARISON\" > \(dir.file("rolled-back")) && "
            + "\(rollback) --dry-run --home \(dir.file("deployment"))"

        let promoted = try await Self.canary(
            ["--baseline", fullURL, "--candidate", halfURL, "--plan", dir.file("plan.yaml"), "--time-scale", "0",
             "--out", dir.file("promote"), "--on-fail", onFail] + Self.targets)
        print("canary, candidate four times as fast:\n\(promoted.text)")
        #expect(promoted.status == 0, "\(promoted.text)")
        #expect(promoted.text.contains("verdict: PASS (exit 0)"), "\(promoted.text)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("rolled-back")), "rollback ran on a pass")
        for name in ["canary.sqlite", "comparison.md", "comparison.json", "comparison.junit.xml"] {
            #expect(FileManager.default.fileExists(atPath: dir.file("promote/\(name)")), "\(name) missing")
        }
        // Every job ran against both trainers: 12 pairs, compared pair by pair.
        let json = try Data(contentsOf: URL(fileURLWithPath: dir.file("promote/comparison.json")))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["design"] as? String == "paired-ab", "\(object["design"] ?? "none")")
        let rows = try #require(object["rows"] as? [[String: Any]])
        let overall = try #require(rows.first { $0["scope"] as? String == "overall" })
        let duration = try #require(overall["duration"] as? [String: Any])
        #expect(duration["method"] as? String == "wilcoxon-signed-rank")
        #expect((duration["upper_percent"] as? Double ?? 0) < 0, "the interval excludes 0: \(duration)")

        let rolledBack = try await Self.canary(
            ["--baseline", halfURL, "--candidate", fullURL, "--plan", dir.file("plan.yaml"), "--time-scale", "0",
             "--out", dir.file("rollback"), "--on-fail", onFail] + Self.targets)
        print("canary, candidate four times as slow:\n\(rolledBack.text)")
        #expect(rolledBack.status == 1, "\(rolledBack.text)")
        #expect(rolledBack.text.contains("--on-fail exited with status 0"), "\(rolledBack.text)")
        let marker = try String(contentsOfFile: dir.file("rolled-back"), encoding: .utf8)
        #expect(marker.hasPrefix("fail \(dir.file("rollback/comparison.json"))"), "\(marker)")
    }

    @Test("usage errors exit 64 with the reason and collect nothing", arguments: [
        (["--baseline", "http://127.0.0.1:9", "--candidate", "http://127.0.0.1:9"], "the same URL"),
        (["--baseline", "ftp://x", "--candidate", "http://127.0.0.1:9"], "--baseline must be an http(s) URL"),
        (["--baseline", "http://127.0.0.1:8", "--candidate", "http://127.0.0.1:9", "--days", "0"], "--days"),
        (["--baseline", "http://127.0.0.1:8", "--candidate", "http://127.0.0.1:9", "--plan", "MISSING"], "MISSING"),
    ])
    func usageErrors(arguments: [String], expected: String) async throws {
        let dir = try TemporaryDirectory()
        let resolved = arguments.map { $0 == "MISSING" ? dir.file("missing.yaml") : $0 }
        let result = try await Self.canary(resolved + ["--out", dir.file("out")])
        #expect(result.status == 64, "\(result.text)")
        #expect(result.text.contains(expected == "MISSING" ? "missing.yaml" : expected), "\(result.text)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out/canary.sqlite")))
    }
}
