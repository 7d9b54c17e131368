import BenchCore
import BenchStore
import Foundation

/// The processes of `mmmbench demo` and the order they run in.
final class DemoTopology: Sendable {
    let directory: String
    let workScale: Double
    let timeScale: Double
    let agentCount: Int
    let slots: Int
    private let processes = PThreadLockedValue<[ManagedProcess]>([])

    init(directory: String, workScale: Double, timeScale: Double, agents: Int, slots: Int) {
        self.directory = directory
        self.workScale = workScale
        self.timeScale = timeScale
        self.agentCount = agents
        self.slots = slots
    }

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    static func say(_ line: String) {
        print(line)
        fflush(nil)
    }

    func run() async throws {
        let fileManager = FileManager.default
        // A fresh directory each run: the throwaway CA and the old database go.
        for name in ["certs", "logs", "demo.sqlite", "demo.sqlite-wal", "demo.sqlite-shm", "demo.sqlite.lock",
                     "demo-plan.yaml"] {
            try? fileManager.removeItem(atPath: path(name))
        }
        try fileManager.createDirectory(atPath: path("logs"), withIntermediateDirectories: true)
        let agentNames = (1...agentCount).map { "agent-\($0)" }

        Self.say("1. certificates: a throwaway CA, the coordinator (127.0.0.1) and \(agentCount) agents -> \(path("certs"))")
        try await runToEnd("certs", ["certs", "init", "--dir", path("certs")])
        try await runToEnd("certs", ["certs", "coordinator", "--dir", path("certs"), "--san", "127.0.0.1,localhost"])
        for name in agentNames { try await runToEnd("certs", ["certs", "agent", "--dir", path("certs"), "--name", name]) }

        let trainer = try start("trainer", ["trainer", "--listen", "127.0.0.1:0", "--work-scale", "\(workScale)",
                                            "--log-level", "warning"])
        let trainerLine = try await trainer.waitForLine(containing: "trainer listening on ", timeout: .seconds(60))
        let trainerURL = String(trainerLine.split(separator: " ").last ?? "")
        Self.say("2. reference trainer on \(trainerURL) (work scale \(workScale))")

        let (planPath, rollbackNote) = try writePlan()
        let coordinator = try start("coordinator", [
            "coordinator", "--listen", "127.0.0.1:0", "--db", path("demo.sqlite"), "--plan", planPath,
            "--cert", path("certs/coordinator.pem"), "--key", path("certs/coordinator-key.pem"),
            "--ca", path("certs/ca.pem"), "--report-dir", directory, "--time-scale", "\(timeScale)",
            "--check-target", trainerURL, "--check-min-agents", "\(min(agentCount, 2))",
        ], echo: { Self.say("   coordinator | " + $0) })
        let listening = try await coordinator.waitForLine(containing: "coordinator listening on ", timeout: .seconds(60))
        let port = listening.split(separator: ":").last.map { String($0.prefix { $0.isNumber }) } ?? ""
        Self.say("3. coordinator on 127.0.0.1:\(port), database \(path("demo.sqlite")); "
                 + "\(agentCount) agents with \(slots) slot(s) each; after the matrix it runs the optimization "
                 + "test suite through the agents (\(rollbackNote))")
        for name in agentNames {
            _ = try start(name, [
                "agent", "--coordinator", "127.0.0.1:\(port)", "--cert", path("certs/\(name).pem"),
                "--key", path("certs/\(name)-key.pem"), "--ca", path("certs/ca.pem"), "--trainer-url", trainerURL,
                "--slots", "\(slots)", "--outbox", path("\(name).outbox"), "--log-level", "notice",
            ])
        }

        guard let status = try await coordinator.waitForExit(timeout: .seconds(1800)), status == 0 else {
            throw DemoError("the coordinator did not complete the collection; see \(coordinator.logPath)")
        }
        for process in processes.withLock({ $0 }) where process.name.hasPrefix("agent-") {
            _ = try await process.waitForExit(timeout: .seconds(30))
        }

        await trainer.stop()

        let store = try BenchStore(path: path("demo.sqlite"))
        guard let collection = try store.currentCollection(),
              let suite = try store.latestTestSuiteReports(collectionID: collection.id).last(where: {
                  $0.phase == .after
              })
        else {
            throw DemoError("the coordinator stored no test suite run; see \(coordinator.logPath)")
        }
        Self.say("4. optimization test suite, run by the coordinator through the agents after the matrix:")
        for line in Self.suiteLines(suite) { Self.say("   " + line) }

        let output = try ReportWriter(store: store).write(to: directory)
        Self.say("")
        Self.say(Self.headline(output.report))
        Self.say("\nreports:")
        for file in output.files { Self.say("  \(file)") }
        Self.say("logs: \(path("logs"))/")
    }

    /// The demo's plan: the seed's matrix, and the optimization test suite after it (`checks.run: after`). The
    /// rollback check runs `deploy/rollback.sh` of the working directory (the repository root for `swift run`) by
    /// its absolute path; elsewhere there is no script to check, so that check is disabled and the demo says so.
    func writePlan() throws -> (path: String, rollbackNote: String) {
        let script = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent(CheckSettings.defaultRollbackScript).path
        let found = FileManager.default.isExecutableFile(atPath: script)
        let checks = found
            ? "checks:\n  run: after\n  rollback_script: \"\(script)\"\n"
            : "checks:\n  run: after\n  disabled: [rollback]\n"
        let plan = path("demo-plan.yaml")
        try ("# mmmbench demo: the seed's matrix, then the optimization test suite\n" + checks)
            .write(toFile: plan, atomically: true, encoding: .utf8)
        let note = found
            ? "rollback check: \(script) on the coordinator's host"
            : "rollback check disabled: no executable \(CheckSettings.defaultRollbackScript) here"
        return (plan, note)
    }

    /// One line per check of a suite run, as `mmmbench test-suite` prints its progress, and the summary.
    static func suiteLines(_ report: TestSuiteReport) -> [String] {
        var lines = report.outcomes.enumerated().map { index, outcome in
            let hosts = outcome.agents.isEmpty ? outcome.agent.map { [$0] } ?? [] : outcome.agents
            let reason = outcome.reason.map { ": " + ($0.split(separator: "\n").first.map(String.init) ?? "") } ?? ""
            return "[\(index + 1)/\(report.outcomes.count)] \(outcome.status.mark) \(outcome.testName) "
                + "(\(PythonRounding.format(outcome.durationSeconds, places: 2))s"
                + (hosts.isEmpty ? "" : ", " + hosts.joined(separator: " + ")) + ")" + reason
        }
        lines.append("\(report.passed)/\(report.total) checks passed, \(report.failed) failed, \(report.errors) errors")
        return lines
    }

    func runToEnd(_ name: String, _ arguments: [String]) async throws {
        let process = try start(name, arguments)
        guard try await process.waitForExit(timeout: .seconds(60)) == 0 else {
            throw DemoError("mmmbench \(arguments.joined(separator: " ")) failed; see \(process.logPath)")
        }
    }

    func start(_ name: String, _ arguments: [String], echo: @escaping @Sendable (String) -> Void = { _ in })
        throws -> ManagedProcess
    {
        let process = try ManagedProcess(name: name, arguments: arguments, logPath: path("logs/\(name).log"),
                                         echo: echo)
        processes.withLock { $0.append(process) }
        return process
    }

    func stopAll() async {
        for process in processes.withLock({ $0 }).reversed() { await process.stop() }
    }

    static func headline(_ report: BaselineReport) -> String {
        let good = report.successful
        var lines = ["\(good.count)/\(report.metrics.count) jobs succeeded"]
        for row in report.typeRows() {
            lines.append("  \(row.jobType): \(row.duration.count) jobs, "
                         + "mean \(PythonRounding.format(row.duration.mean * 60_000, places: 0)) ms, "
                         + "p95 \(PythonRounding.format(row.duration.p95 * 60_000, places: 0)) ms")
        }
        let agents = Set(report.metrics.map(\.agent)).sorted().joined(separator: ", ")
        lines.append("measured by: \(agents)")
        let cost = SummaryStatistics(good.map(\.costEstimate))?.sum ?? 0
        lines.append("estimated cost at the plan's prices: $\(PythonRounding.format(cost, places: 4))")
        return lines.joined(separator: "\n")
    }
}
