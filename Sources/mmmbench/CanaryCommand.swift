import ArgumentParser
import BenchCore
import Foundation

/// `mmmbench canary`: may the candidate be promoted? A bounded A/B collection of both trainers, its paired verdict as
/// the exit code, and a rollback command on fail.
struct CanaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canary",
        abstract: "Gate a canary: run every job against baseline and candidate, judge, exit 0 pass / 1 fail / "
            + "2 inconclusive / 64 usage or input error.",
        discussion: """
            Runs an interleaved A/B collection from this host: every job of the plan's matrix against the baseline \
            and the candidate trainer, back to back on one slot, in alternating order (ABBA), each result committed \
            to the database (--db) before it counts. Each run starts a new collection (the candidate may have changed \
            since the last one); an interrupted run is continued with --resume. Then compares the \
            pairs (per-job duration ratio, Wilcoxon signed-rank with a Hodges-Lehmann interval; success rates with \
            Fisher's test; cost) against the targets: the seed's (duration -40%, success 95%, cost -20%), the \
            plan's validation: section, then --target flags. Writes comparison.md, comparison.json, \
            comparison.junit.xml and comparison.html into --out and prints the verdict.

            On a fail verdict, --on-fail CMD runs through /bin/sh -c with MMMBENCH_VERDICT=fail and \
            MMMBENCH_COMPARISON=<out>/comparison.json in its environment (e.g. deploy/rollback.sh); the exit code \
            stays 1 whatever the command returns. Inconclusive does not run it.

            Exit status: 0 pass, 1 fail, 2 inconclusive, 64 usage or input error, 130 interrupted (run it again \
            with --resume to continue). See docs/compare.md.
            """
    )

    @Option(name: .customLong("baseline"), help: "Base URL of the trainer in production (the baseline).")
    var baselineURL: String

    @Option(name: .customLong("candidate"), help: "Base URL of the canary trainer (the candidate).")
    var candidateURL: String

    @Option(help: "Plan file (YAML or JSON): matrix, pacing, pricing, validation targets. Default: the seed's.")
    var plan: String?

    @Option(help: "Collect this many days of the plan's matrix (bounds the canary; default: the plan's days).")
    var days: Int?

    @Option(help: "SQLite database of the A/B collection (default: OUT/canary.sqlite).")
    var db: String?

    @Option(help: "Directory for the comparison files and the default database.")
    var out: String = "canary"

    @Option(help: "Pairs run at once.")
    var concurrency: Int = 1

    @Option(name: .customLong("time-scale"), parsing: .unconditional,
            help: "Multiply the plan's job and day gaps by this factor (0 = no pauses); 1 is real time.")
    var timeScale: Double = 1

    @Option(name: .customLong("target"), help: "A target, e.g. duration=-40%, success=95%, cost=-20%, cost=off.")
    var targets: [String] = []

    @Option(help: "Confidence level of every interval (default 0.95, or the plan's).")
    var confidence: Double?

    @Option(name: .customLong("on-fail"), help: "Shell command run when the verdict is fail (e.g. a rollback).")
    var onFail: String?

    @Flag(help: "Continue the database's interrupted canary collection instead of starting a new one.")
    var resume = false

    func validate() throws {
        for (flag, value) in [("--baseline", baselineURL), ("--candidate", candidateURL)] {
            guard let url = URL(string: value), let scheme = url.scheme, ["http", "https"].contains(scheme),
                  url.host != nil
            else { throw ValidationError("\(flag) must be an http(s) URL, got '\(value)'") }
        }
        guard baselineURL != candidateURL else {
            throw ValidationError("--baseline and --candidate are the same URL: a canary compares two trainers")
        }
        if let days, days < 1 { throw ValidationError("--days must be >= 1") }
        guard concurrency >= 1, concurrency <= 1024 else { throw ValidationError("--concurrency must be 1...1024") }
        guard timeScale >= 0, timeScale.isFinite else { throw ValidationError("--time-scale must be >= 0") }
        if let confidence, !(confidence > 0.5 && confidence < 1) {
            throw ValidationError("--confidence \(confidence): must be between 0.5 and 1 (e.g. 0.95)")
        }
    }

    func run() async throws {
        let gate = CanaryGate(configuration: CanaryConfiguration(
            baselineURL: baselineURL, candidateURL: candidateURL, planPath: plan, days: days,
            databasePath: db ?? URL(fileURLWithPath: out).appendingPathComponent("canary.sqlite").path,
            outputDirectory: out, concurrency: concurrency, timeScale: timeScale, targetFlags: targets,
            confidence: confidence, onFail: onFail, forceNew: !resume))
        let plan: Plan
        do {
            plan = try gate.plan()
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(Verdict.usageExitCode)
        }
        let printer = ProgressPrinter()
        do {
            _ = try await SignalCancellation.run { try await gate.collect(plan: plan, events: printer.handle) }
        } catch where SignalCancellation.wasInterrupted {
            printer.line("interrupted: every finished job is saved in \(gate.configuration.databasePath); "
                         + "run the same command with --resume to continue")
            throw ExitCode(130)
        }
        let judged: (report: ComparisonReport, files: [String])
        do {
            judged = try gate.judge()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(Verdict.usageExitCode)
        }
        print(ComparisonTerminal.render(judged.report), terminator: "")
        for file in judged.files { print("wrote \(file)") }
        let verdict = judged.report.verdict
        if verdict == .fail, let onFail {
            print("verdict fail: running --on-fail: \(onFail)")
            do {
                let status = try await gate.runOnFail(onFail, verdict: verdict)
                print("--on-fail exited with status \(status)")
            } catch {
                FileHandle.standardError.write(Data("error: --on-fail could not start: \(error)\n".utf8))
            }
        }
        if verdict != .pass { throw ExitCode(verdict.exitCode) }
    }
}
