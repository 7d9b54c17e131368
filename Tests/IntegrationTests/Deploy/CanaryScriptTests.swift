import Foundation
import Testing

/// deploy/canary.sh run by bash with a stand-in `mmmbench` whose exit statuses the test chooses: the traffic steps,
/// what happens on pass, fail, inconclusive and bad input, and the `mmmbench canary` command lines it builds.
@Suite("Deploy: canary.sh")
struct CanaryScriptTests {
    struct Outcome {
        let run: ToolRun
        let calls: [[String]]
        let weights: [String]
    }

    /// Runs the script with `arguments` plus a --set-weight command that records each percentage.
    func runScript(_ arguments: [String], statuses: [Int32], setWeight: Bool = true) throws -> Outcome {
        let recorder = try RecordingMmmbench(statuses: statuses)
        let dir = try TemporaryDirectory()
        let weightLog = dir.file("weights")
        var all = arguments + ["--out", dir.file("out")]
        if setWeight { all += ["--set-weight", "printf '%s\\n' >> '\(weightLog)'"] }
        let run = try ToolRun.run("/bin/bash", [DeployTestSupport.path("deploy/canary.sh")] + all,
                                  environment: ["PATH": recorder.path])
        let weights = ((try? String(contentsOfFile: weightLog, encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
        return Outcome(run: run, calls: try recorder.calls(), weights: weights)
    }

    static let urls = ["--baseline", "http://stable:8080", "--candidate", "http://canary:8080"]

    @Test("every step passes: traffic 20, 50, 100 %, one gate per step with its own database and report directory")
    func allStepsPass() throws {
        let outcome = try runScript(Self.urls + ["--on-fail", "deploy/rollback.sh --to 1.0"], statuses: [0, 0, 0])
        #expect(outcome.run.status == 0, "\(outcome.run.stderr)")
        #expect(outcome.weights == ["20", "50", "100"])
        #expect(outcome.calls.count == 3)
        for (call, step) in zip(outcome.calls, ["20", "50", "100"]) {
            #expect(call.first == "canary")
            #expect(CanaryScriptTests.flag("--baseline", call) == "http://stable:8080")
            #expect(CanaryScriptTests.flag("--candidate", call) == "http://canary:8080")
            #expect(CanaryScriptTests.flag("--db", call)?.hasSuffix("/canary-\(step).sqlite") == true)
            #expect(CanaryScriptTests.flag("--out", call)?.hasSuffix("/step-\(step)") == true)
            #expect(CanaryScriptTests.flag("--on-fail", call) == "deploy/rollback.sh --to 1.0")
        }
        #expect(outcome.run.stdout.contains("every step passed"))
    }

    @Test("a failed gate at 50 %: traffic back to 0, no further step, exit 1")
    func failedGate() throws {
        let outcome = try runScript(Self.urls, statuses: [0, 1])
        #expect(outcome.run.status == 1)
        #expect(outcome.weights == ["20", "50", "0"])
        #expect(outcome.calls.count == 2)
        #expect(outcome.run.stderr.contains("step 50 %: FAIL"))
    }

    @Test("an inconclusive gate: traffic back to 0, exit 2; mmmbench's input error: exit 64")
    func inconclusiveAndInputError() throws {
        let inconclusive = try runScript(Self.urls, statuses: [2])
        #expect(inconclusive.run.status == 2)
        #expect(inconclusive.weights == ["20", "0"])
        #expect(inconclusive.calls.count == 1)
        let input = try runScript(Self.urls + ["--steps", "50"], statuses: [64])
        #expect(input.run.status == 64)
        #expect(input.weights == ["50", "0"])
    }

    @Test("bad arguments exit 64 before any traffic is moved or any gate runs")
    func usageErrors() throws {
        let cases: [[String]] = [
            ["--baseline", "http://stable:8080"],
            Self.urls + ["--steps", "20 fifty"],
            Self.urls + ["--steps", "0"],
            Self.urls + ["--steps", "20 150"],
            Self.urls + ["--frobnicate"],
        ]
        for arguments in cases {
            let outcome = try runScript(arguments, statuses: [])
            #expect(outcome.run.status == 64, "\(arguments): \(outcome.run.stderr)")
            #expect(outcome.calls.isEmpty && outcome.weights.isEmpty, "\(arguments) moved traffic or ran a gate")
        }
    }

    @Test("without --set-weight the gates still run at every step (the pipeline moves the traffic itself)")
    func withoutSetWeight() throws {
        let outcome = try runScript(Self.urls + ["--steps", "20 50"], statuses: [0, 0], setWeight: false)
        #expect(outcome.run.status == 0, "\(outcome.run.stderr)")
        #expect(outcome.calls.count == 2 && outcome.weights.isEmpty)
    }

    @Test("the command lines canary.sh runs are valid mmmbench canary invocations")
    func commandLinesAreValid() throws {
        let outcome = try runScript(
            Self.urls + ["--plan", "plan.yaml", "--time-scale", "0.01", "--on-fail", "deploy/rollback.sh"],
            statuses: [0, 0, 0])
        let lines = outcome.calls.map { FoundCommandLine(arguments: $0, source: "deploy/canary.sh") }
        #expect(lines.count == 3)
        let failures = try CommandLineChecker.failures(lines)
        #expect(failures.isEmpty, "\(CommandLineChecker.report(failures))")
    }

    static func flag(_ name: String, _ arguments: [String]) -> String? {
        zip(arguments, arguments.dropFirst()).first { $0.0 == name }?.1
    }
}
