import ArgumentParser
import BenchAgent
import BenchCore
import BenchStore
import Foundation

/// `mmmbench test-suite`: the seed's ten optimization checks against a trainer, from this host, as a deployment gate.
struct TestSuiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-suite",
        abstract: "Run the optimization test suite (the seed's ten checks) against a trainer; exit 1 if any fails.",
        discussion: """
            Runs the checks one after the other from this host (health, resource allocation, container warming, \
            data processing, parallel processing, performance benchmark, error handling, cost efficiency, load \
            handling, rollback), prints the seed-format test report on stdout (progress on stderr) and writes \
            test_report.md, test_report.junit.xml and test_report.json into --out. The plan's `checks` section \
            sets thresholds, the warm components to require, the rollback script (relative to the working \
            directory) and disabled checks; see docs/checks.md. With --db the outcomes are also stored (in the \
            database's current collection if it has one), so `mmmbench report` writes them again later.
            Exit status: 0 every check passed; 1 a check failed or could not be judged (error); 2 the suite could \
            not run (unreadable plan, reports or database not writable); 130 interrupted.
            """
    )

    @Option(help: "Base URL of the trainer, e.g. http://127.0.0.1:8080.")
    var target: String

    @Option(help: "Plan file (YAML or JSON) whose `checks` section overrides the seed's thresholds.")
    var plan: String?

    @Option(help: "Directory to write the three test report files into (created if missing).")
    var out: String = "."

    @Option(help: "SQLite database to store the outcomes in (created if missing).")
    var db: String?

    @Option(help: "Phase recorded with the outcomes in --db: standalone, before or after (a rollout).")
    var phase: String = CheckPhase.standalone.rawValue

    @Option(name: .customLong("connect-timeout"), parsing: .unconditional,
            help: "Seconds to keep trying to connect to the trainer per request (a refused target costs this).")
    var connectTimeout: Double = 5

    func validate() throws {
        guard let url = URL(string: target), let scheme = url.scheme, ["http", "https"].contains(scheme),
              url.host != nil
        else { throw ValidationError("--target must be an http(s) URL, got '\(target)'") }
        guard connectTimeout > 0, connectTimeout <= 600 else {
            throw ValidationError("--connect-timeout must be in (0, 600] seconds")
        }
        guard CheckPhase(rawValue: phase) != nil else {
            throw ValidationError("--phase must be standalone, before or after, got '\(phase)'")
        }
    }

    func run() async throws {
        let checks: CheckPlan
        do {
            checks = try plan.map(PlanLoader.load(fileAt:))?.checkPlan ?? CheckPlan()
        } catch {
            Self.fail("cannot use the plan: \(error)")
        }
        let phase = CheckPhase(rawValue: phase) ?? .standalone
        let http = CheckRunner.makeHTTPClient(for: checks.settings, connectTimeoutSeconds: connectTimeout)
        let runner = CheckRunner(client: TrainerClient(baseURL: target, http: http), settings: checks.settings)
        let total = checks.enabledChecks.count
        let progress = ProgressCounter()
        let report: TestSuiteReport
        do {
            report = try await SignalCancellation.run {
                try await runner.runSuite(disabled: checks.disabled, phase: phase) { outcome in
                    let line = "[\(progress.next())/\(total)] \(outcome.status.mark) \(outcome.testName) "
                        + "(\(PythonRounding.format(outcome.durationSeconds, places: 2))s)"
                        + (outcome.reason.map { ": " + Self.firstLine($0) } ?? "")
                    Self.standardError(line)
                }
            }
        } catch {
            try? await http.shutdown()
            if SignalCancellation.wasInterrupted { throw ExitCode(130) }
            throw error
        }
        try await http.shutdown()

        print(report.markdown())
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for (name, contents) in report.renderedFiles() {
                let path = (out as NSString).appendingPathComponent(name)
                try Data(contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                Self.standardError("wrote \(path)")
            }
            if let db {
                let store = try BenchStore(path: db)
                let collectionID = try store.currentCollection()?.id
                try store.recordTestSuiteReport(report, collectionID: collectionID, settings: checks.settings)
                Self.standardError("stored suite run \(report.suiteRunID) in \(db)"
                    + (collectionID.map { " (collection \($0))" } ?? ""))
            }
        } catch {
            Self.fail("cannot save the test report: \(error)")
        }
        Self.standardError("\(report.passed)/\(report.total) checks passed, \(report.failed) failed, "
            + "\(report.errors) errors")
        if !report.allPassed { throw ExitCode(1) }
    }

    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", maxSplits: 1).first ?? "")
    }

    /// Prints `message` on stderr and exits with status 2 (the suite could not run or be saved).
    static func fail(_ message: String) -> Never {
        standardError("mmmbench test-suite: \(message)")
        Foundation.exit(2)
    }
}

/// Numbers the progress lines of the suite (called from the suite's task only, one at a time).
private final class ProgressCounter: Sendable {
    private let count = PThreadLockedValue(0)

    func next() -> Int {
        count.withLock { value in
            value += 1
            return value
        }
    }
}
