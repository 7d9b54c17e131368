import ArgumentParser
import BenchCore
import BenchStore
import Foundation

/// `mmmbench compare`: did the optimization deliver? A verdict against targets, with intervals, and an exit code.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a candidate with its baseline and judge it against targets (exit 0 pass, 1 fail, "
            + "2 inconclusive, 64 usage or input error).",
        discussion: """
            Inputs (each side): an mmmbench database (its newest collection, or FILE.sqlite#ID for the collection \
            ID), a baseline_metrics.json or .csv written by `mmmbench report`, or the baseline_metrics.json of the \
            seed's collect_baseline.py (failed rows included). With one argument, the database must hold an \
            interleaved A/B collection: its baseline and candidate measurements are compared pair by pair.

            Rows: overall, every job type and every (job type, country): n, median and mean duration, the change in \
            % with its interval, the p-value (raw and Holm-corrected across rows; ~ = not significant), success \
            rates (Wilson), their difference (Newcombe) with Fisher's exact test, cost and CPU hours per job. \
            Failed measurements count only in success rates. Sides that share job ids are compared job by job.

            Targets (seed defaults: duration -40%, success 95%, cost -20%): from the plan's validation: section, \
            then --target flags (NAME=off turns one off). A target passes when its whole interval clears it, \
            fails when its whole interval misses it, and is inconclusive otherwise (with about how many more jobs \
            would decide it). A significant regression in duration or success rate fails whatever the targets say.

            Output: a short table on stdout, verdict first; with --out DIR also comparison.md, comparison.json, \
            comparison.junit.xml and comparison.html (verdict, forest plot of the changes against the targets, \
            tables; self-contained). Exit codes: 0 pass, 1 fail, 2 inconclusive, 64 usage, input or output error \
            (no verdict). See docs/compare.md.
            """
    )

    @Argument(help: "The baseline: a database (FILE or FILE#COLLECTION), a JSON or CSV export; alone: an A/B database.")
    var baseline: String

    @Argument(help: "The candidate, in the same forms as the baseline.")
    var candidate: String?

    @Option(help: "Plan file whose validation: section sets the targets.")
    var plan: String?

    @Option(name: .customLong("target"), help: "A target, e.g. duration=-40%, success=95%, cost=-20%, cost=off.")
    var targets: [String] = []

    @Option(help: "Directory for comparison.md, .json, .junit.xml and .html (created if missing).")
    var out: String?

    @Option(help: "Confidence level of every interval (default 0.95, or the plan's).")
    var confidence: Double?

    @Flag(help: "Compare as independent samples even when both sides share job ids.")
    var unpaired = false

    func validate() throws {
        if let confidence, !(confidence > 0.5 && confidence < 1) {
            throw ValidationError("--confidence \(confidence): must be between 0.5 and 1 (e.g. 0.95)")
        }
    }

    func run() async throws {
        let request = ComparisonRequest(baseline: baseline, candidate: candidate, planPath: plan,
                                        targetFlags: targets, confidence: confidence, unpaired: unpaired)
        let result: ComparisonReport
        do {
            result = try Comparison.compare(try request.input())
            print(ComparisonTerminal.render(result), terminator: "")
            if let out {
                for file in try ComparisonOutputWriter.write(result, to: out) { print("wrote \(file)") }
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(Verdict.usageExitCode)
        }
        if result.verdict != .pass { throw ExitCode(result.verdict.exitCode) }
    }
}
