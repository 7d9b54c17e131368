import BenchAgent
import BenchCore
import BenchStore
import Foundation
import Subprocess

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

    /// Runs the rollback command with `MMMBENCH_VERDICT` and `MMMBENCH_COMPARISON` set; returns its exit status
    /// (128 + N if signal N ended it). It shares this process's standard input, output and error.
    ///
    /// Started through swift-subprocess, which resets the signal mask and dispositions in the child (Foundation
    /// `Process` let the rollback inherit this process's blocked signals).
    func runOnFail(_ command: String, verdict: Verdict) async throws -> Int32 {
        let comparison = URL(fileURLWithPath: configuration.outputDirectory)
            .appendingPathComponent("comparison.json").path
        fflush(nil)  // what this process printed comes before the command's output
        let result = try await Subprocess.run(
            .path("/bin/sh"), arguments: ["-c", command],
            environment: .inherit.updating(["MMMBENCH_VERDICT": verdict.rawValue,
                                             "MMMBENCH_COMPARISON": comparison]),
            input: .currentStandardInput, output: .currentStandardOutput, error: .currentStandardError)
        return switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }
}
