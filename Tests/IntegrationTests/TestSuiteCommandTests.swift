import BenchCore
import BenchStore
import Foundation
import Testing

extension ChildProcess {
    /// True when the process ended by a signal (its status is then the signal number).
    var terminatedBySignal: Bool { !process.isRunning && process.terminationReason == .uncaughtSignal }
}

/// `mmmbench test-suite` as a child process against `mmmbench trainer` children on loopback: exit status as a
/// deployment gate, the printed report and the three files.
@Suite("test-suite: the optimization suite from the command line", .serialized)
struct TestSuiteCommandTests {
    /// Disables the two checks whose outcome depends on how busy this machine is (CPU and memory figures of the
    /// trainer process), points the rollback check at a script in `dir`.
    static func writePlan(_ dir: TemporaryDirectory, rollbackExit: Int = 0) throws -> String {
        let script = try dir.executable("rollback.sh", "#!/bin/sh\necho \"dry run: $*\"\nexit \(rollbackExit)\n")
        let plan = dir.file("plan.yaml")
        try """
            checks:
              disabled: [resource_allocation, cost_efficiency]
              rollback_script: \(script)
            """.write(toFile: plan, atomically: true, encoding: .utf8)
        return plan
    }

    static func explain(_ status: Int32?, _ suite: ChildProcess) -> Comment {
        "exit \(String(describing: status)), by signal: \(suite.terminatedBySignal)\n\(suite.text)"
    }

    @Test("a healthy trainer: exit 0, the seed-format report on stdout, three files written, outcomes stored")
    func passingSuite() async throws {
        let dir = try TemporaryDirectory()
        let (trainer, url) = try await startTrainer(["--work-scale", "0.02", "--resamples", "20",
                                                     "--data-scale", "0.1"])
        defer { trainer.signal(SIGTERM) }
        let out = dir.file("reports")
        let db = dir.file("suite.sqlite")
        let suite = try ChildProcess(["test-suite", "--target", url, "--plan", try Self.writePlan(dir), "--out", out,
                                      "--db", db])
        let status = await suite.waitForExit(timeout: .seconds(180))
        #expect(status == 0, Self.explain(status, suite))
        #expect(suite.text.contains("# Optimization Test Suite Report"))
        #expect(suite.text.contains("- **Total Tests**: 8"))
        #expect(suite.text.contains("### ✅ test_09_load_handling ("))
        #expect(suite.text.contains("8/8 checks passed"))

        for name in ["test_report.md", "test_report.junit.xml", "test_report.json"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name)")
        }
        let json = try Data(contentsOf: URL(fileURLWithPath: out + "/test_report.json"))
        let report = try JSONDecoder().decode(TestSuiteReport.self, from: json)
        #expect(report.allPassed && report.total == 8)
        #expect(report.disabled == [.resourceAllocation, .costEfficiency])
        let junit = try String(contentsOfFile: out + "/test_report.junit.xml", encoding: .utf8)
        #expect(junit.contains("<testsuite name=\"OptimizationTestSuite\" tests=\"10\" failures=\"0\" errors=\"0\" "
            + "skipped=\"2\""))

        let store = try BenchStore(path: db)
        let stored = try store.latestTestSuiteReports(collectionID: nil)
        #expect(stored.map(\.suiteRunID) == [report.suiteRunID])
        #expect(stored.first?.outcomes.map(\.status) == report.outcomes.map(\.status))
    }

    @Test("a trainer failing load requests and a failing rollback dry run: exit 1 and the reasons in the report")
    func failingSuite() async throws {
        let dir = try TemporaryDirectory()
        let (trainer, url) = try await startTrainer(["--work-scale", "0.02", "--resamples", "20",
                                                     "--data-scale", "0.1", "--fault", "load-test-fail"])
        defer { trainer.signal(SIGTERM) }
        let out = dir.file("reports")
        let suite = try ChildProcess(["test-suite", "--target", url, "--plan",
                                      try Self.writePlan(dir, rollbackExit: 4), "--out", out])
        let status = await suite.waitForExit(timeout: .seconds(180))
        #expect(status == 1, Self.explain(status, suite))
        #expect(suite.text.contains("### ❌ test_09_load_handling ("))
        #expect(suite.text.contains("### ❌ test_10_rollback_capability ("))
        #expect(suite.text.contains("Only 20% requests succeeded under load"))
        #expect(suite.text.contains("exited with status 4"))
        let junit = try String(contentsOfFile: out + "/test_report.junit.xml", encoding: .utf8)
        #expect(junit.contains("failures=\"2\""))
    }

    @Test("an unreachable target: exit 1 with errors, the suite still completes and writes its report")
    func unreachable() async throws {
        let dir = try TemporaryDirectory()
        // A trainer that was listening and has exited: its port now refuses connections.
        let (trainer, url) = try await startTrainer(["--work-scale", "0.02"])
        trainer.signal(SIGTERM)
        #expect(await trainer.waitForExit(timeout: .seconds(30)) != nil)
        let out = dir.file("reports")
        let suite = try ChildProcess(["test-suite", "--target", url, "--plan", try Self.writePlan(dir), "--out", out,
                                      "--connect-timeout", "1"])
        let status = await suite.waitForExit(timeout: .seconds(120))
        #expect(status == 1, Self.explain(status, suite))
        #expect(suite.text.lowercased().contains("connection refused"), "\(suite.text)")
        #expect(suite.text.contains("- **Errors**: 7 ⚠️"))
        #expect(suite.text.contains("## Error Details"))
        #expect(FileManager.default.fileExists(atPath: out + "/test_report.md"))
    }

    @Test("a bad plan exits 2 naming the field; --help explains the exit codes")
    func usage() async throws {
        let dir = try TemporaryDirectory()
        try "checks: {load_handling: {requests: 0}}".write(toFile: dir.file("bad.yaml"), atomically: true,
                                                           encoding: .utf8)
        let bad = try ChildProcess(["test-suite", "--target", "http://127.0.0.1:9", "--plan", dir.file("bad.yaml"),
                                    "--out", dir.file("out")])
        #expect(await bad.waitForExit(timeout: .seconds(30)) == 2)
        #expect(bad.text.contains("checks.load_handling.requests: must be in 1...1000"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("out")))

        let help = try ChildProcess(["test-suite", "--help"])
        #expect(await help.waitForExit(timeout: .seconds(30)) == 0)
        #expect(help.text.contains("--target"))
        #expect(help.text.contains("Exit status: 0 every check passed"))
    }
}
