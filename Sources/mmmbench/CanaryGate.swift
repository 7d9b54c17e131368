import BenchAgent
import BenchCore
import BenchStore
import Foundation

/// What `mmmbench canary` was asked: the two trainers, the bounded A/B collection and how to judge it.
struct CanaryConfiguration: Sendable {
    var baselineURL: String
    var candidateURL: String
    /// The plan file, if any: its matrix, pacing, pricing and `validation:` targets.
    var planPath: String?
    /// Overrides the plan's `days` to bound the collection.
    var days: Int?
    var databasePath: String
    var outputDirectory: String
    var concurrency: Int
    var timeScale: Double
    var targetFlags: [String]
    var confidence: Double?
    /// A shell command run (by `/bin/sh -c`) when the verdict is fail.
    var onFail: String?
    var forceNew: Bool
}

/// The canary gate: an interleaved A/B collection of the two trainers on this host (every job against both, back to
/// back, ABBA), then the paired comparison of that collection, its files, and the verdict as an exit code. On a
/// fail verdict the rollback command runs, with the verdict and the comparison's path in its environment.
struct CanaryGate: Sendable {
    let configuration: CanaryConfiguration

    /// The plan as loaded, with `targets` set to the two trainers and `days` bounded.
    func plan() throws -> Plan {
        var plan = try configuration.planPath.map(PlanLoader.load(fileAt:)) ?? Plan()
        if let days = configuration.days { plan.days = days }
        plan.targets = try PlanTargets.validated(baseline: configuration.baselineURL,
                                                 candidate: configuration.candidateURL)
        return plan
    }

    /// Collects (or resumes) the A/B collection; `events` sees its progress.
    func collect(plan: Plan, events: @escaping @Sendable (CollectionEvent) -> Void) async throws {
        let collection = LocalCollectionConfiguration(
            trainerURL: configuration.baselineURL, databasePath: configuration.databasePath, plan: plan,
            concurrency: configuration.concurrency, timeScale: configuration.timeScale,
            forceNew: configuration.forceNew)
        _ = try await LocalCollector(configuration: collection).run(events: events)
    }

    /// Compares the collection's two sides pair by pair and writes comparison.{md,json,junit.xml}.
    func judge() throws(ComparisonError) -> (report: ComparisonReport, files: [String]) {
        let request = ComparisonRequest(
            baseline: configuration.databasePath, candidate: nil, planPath: configuration.planPath,
            targetFlags: configuration.targetFlags, confidence: configuration.confidence)
        let report = try Comparison.compare(try request.input())
        let files = try ComparisonOutputWriter.write(report, to: configuration.outputDirectory)
        return (report, files)
    }

    /// Runs the rollback command with `MMMBENCH_VERDICT` and `MMMBENCH_COMPARISON` set; returns its exit status.
    func runOnFail(_ command: String, verdict: Verdict) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["MMMBENCH_VERDICT"] = verdict.rawValue
        environment["MMMBENCH_COMPARISON"] = URL(fileURLWithPath: configuration.outputDirectory)
            .appendingPathComponent("comparison.json").path
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
