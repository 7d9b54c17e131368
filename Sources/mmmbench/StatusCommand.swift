import ArgumentParser
import BenchCore
import BenchStore
import Foundation

/// `mmmbench status`: the state of a collection.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a collection's jobs by state, failures, attempts, agents, last activity and test suite runs."
    )

    @Option(help: "SQLite database of the collection.")
    var db: String

    func run() async throws {
        guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("no database at \(db)") }
        let store = try BenchStore(path: db)
        guard let collection = try store.currentCollection() else {
            print("no collection in \(db) yet")
            let standalone = try Self.renderSuiteRuns(store, collectionID: nil)
            if !standalone.isEmpty { print(standalone.joined(separator: "\n")) }
            return
        }
        print(Self.render(try store.status(collectionID: collection.id)))
        for line in Self.renderTargets(try store.targetStatus(collectionID: collection.id)) { print(line) }
        print(Self.renderTrainers(try store.unreachableTrainers(collectionID: collection.id)).joined(separator: "\n"))
        let runs = try Self.renderSuiteRuns(store, collectionID: collection.id)
        if !runs.isEmpty { print(runs.joined(separator: "\n")) }
    }

    /// One line per optimization test suite run: phase, id, passed/failed/errors, complete or not.
    static func renderSuiteRuns(_ store: BenchStore, collectionID: String?) throws -> [String] {
        try store.suiteRuns(collectionID: collectionID).map { run in
            let report = try store.testSuiteReport(for: run)
            let state = run.completedAt.map { "complete at \(MetricsExport.isoTimestamp($0))" }
                ?? "incomplete (\(report.outcomes.count) checks done)"
            return "test suite \(run.phase.rawValue) \(run.id): \(report.passed) passed, \(report.failed) failed, "
                + "\(report.errors) errors; \(state)"
        }
    }

    /// Agents whose last word was that they cannot reach their trainer (they take no work meanwhile).
    static func renderTrainers(_ trainers: [UnreachableTrainer]) -> [String] {
        guard !trainers.isEmpty else { return ["agents that cannot reach their trainer: none"] }
        return ["agents that cannot reach their trainer (no work for them): \(trainers.count)"] + trainers.map {
            "  \($0.agent): \($0.reason) (since \(MetricsExport.isoTimestamp($0.since)))"
        }
    }

    static func render(_ s: CollectionStatus) -> String {
        let time: (Date?) -> String = { $0.map(MetricsExport.isoTimestamp) ?? "never" }
        let attempts = s.attemptsPerJob.keys.sorted().map { "\($0): \(s.attemptsPerJob[$0] ?? 0) jobs" }
        let agents = s.agentsSeen.keys.sorted().map { "\($0) (\(s.agentsSeen[$0] ?? 0) attempts)" }
        let state = s.completedAt.map { "complete at \(time($0))" } ?? "in progress"
        var lines: [String] = []
        lines.append("collection \(s.collectionID) (created \(time(s.createdAt)))")
        lines.append("state: \(state)")
        lines.append("jobs: \(s.total) total, \(s.done) done, \(s.assigned) running, \(s.pending) pending")
        lines.append("failed measurements: \(s.failedMeasurements)")
        lines.append("harness errors: \(s.harnessErrors)")
        lines.append("jobs re-dispatched: \(s.redispatched)")
        lines.append("late results kept for audit: \(s.staleResults)")
        lines.append("attempts per job: " + (attempts.isEmpty ? "none yet" : attempts.joined(separator: ", ")))
        lines.append("agents seen: " + (agents.isEmpty ? "none" : agents.joined(separator: ", ")))
        lines.append("last activity: \(time(s.lastActivity))")
        if s.done == s.total && s.total > 0 && s.completedAt == nil { lines[1] = "state: all jobs done" }
        return lines.joined(separator: "\n")
    }
}
