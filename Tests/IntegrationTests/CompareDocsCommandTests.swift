import Foundation
import Testing
import TestTiming

/// Runs the `mmmbench compare` commands of docs/compare.md for real, on collections of an instant trainer.
@Suite("docs/compare.md commands", .serialized)
struct CompareDocsCommandTests {
    static let docs = CompareCommandTests.repositoryRoot.appendingPathComponent("docs/compare.md")

    /// The lines of ```sh blocks that run `mmmbench compare` or `mmmbench collect`, and the ```yaml plan.
    static func examples() throws -> (commands: [String], plan: String) {
        let text = try String(contentsOf: docs, encoding: .utf8)
        var commands: [String] = []
        var plans: [String] = []
        var language: String?
        var block: [String] = []
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                if let current = language {
                    if current == "sh" { commands += block.filter { $0.hasPrefix("mmmbench ") } }
                    if current == "yaml" { plans.append(block.joined(separator: "\n")) }
                    language = nil
                } else {
                    language = String(line.dropFirst(3))
                    block = []
                }
            } else if language != nil {
                block.append(line)
            }
        }
        return (commands, plans.first ?? "")
    }

    @Test("every collect, canary and compare command of the phases runs: collections made, verdicts given",
          .timeLimit(.minutes(TestTiming.minutes(5))))
    func phases() async throws {
        let (commands, plan) = try Self.examples()
        let dir = try TemporaryDirectory()
        try plan.write(toFile: dir.file("plan.yaml"), atomically: true, encoding: .utf8)
        let (trainer, url) = try await startTrainer(["--instant"])
        defer { trainer.signal(SIGTERM) }
        let (canaryTrainer, canaryURL) = try await startTrainer(["--instant"])
        defer { canaryTrainer.signal(SIGTERM) }
        let rollback = CompareCommandTests.repositoryRoot.appendingPathComponent("deploy/rollback.sh").path
        let seedJSON = CompareCommandTests.seedFixture
        var ran = 0
        // Collections first, then the canary (its database is compared alone below), then the comparisons (the
        // --target example names candidate.sqlite: the staging collection stands in).
        let rank: (String) -> Int = { command in
            command.hasPrefix("mmmbench collect") ? 0 : command.hasPrefix("mmmbench canary") ? 1 : 2
        }
        let ordered = commands.sorted { rank($0) < rank($1) }
        for command in ordered {
            // The synopsis line is not runnable.
            if command.contains("BASELINE") { continue }
            let line = command.components(separatedBy: " || ").first ?? command
            var urls = [url, canaryURL]
            var words = line.components(separatedBy: " ").filter { !$0.isEmpty }.dropFirst().map { word -> String in
                if word.hasPrefix("https://") { return urls.isEmpty ? url : urls.removeFirst() }
                if word == "baseline_metrics.json" { return seedJSON }
                if word == "candidate.sqlite" { return dir.file("staging.sqlite") }
                // The rollback runs as a dry run here: the test must not touch a real deployment.
                if word == "deploy/rollback.sh" { return "\(rollback) --dry-run --home \(dir.file("deployment"))" }
                if word.hasSuffix(".sqlite") || word == "plan.yaml" || word.hasPrefix("reports/") {
                    return dir.file(word)
                }
                return word
            }
            if words.first == "collect" || words.first == "canary" { words += ["--time-scale", "0"] }
            let child = try ChildProcess(Array(words))
            let status = await child.waitForExit(timeout: .seconds(120))
            ran += 1
            if words.first == "collect" {
                #expect(status == 0, "\(line)\n\(child.text)")
            } else {
                #expect([0, 1, 2].contains(status ?? -1), "\(line)\n\(child.text)")
                #expect(child.text.contains("verdict: "), "\(child.text)")
                if let out = words.firstIndex(of: "--out") {
                    #expect(FileManager.default.fileExists(atPath: words[out + 1] + "/comparison.md"))
                }
                if words.first == "canary", status == 1 {
                    #expect(child.text.contains("--on-fail exited with status 0"), "\(child.text)")
                }
            }
        }
        #expect(ran == 9, "the phases' commands: 3 collects, 1 canary and 5 compares")
    }

    @Test("README's phase commands are commands docs/compare.md runs (so the test above runs them too)")
    func readmePhases() throws {
        let readme = try String(contentsOf: CompareCommandTests.repositoryRoot.appendingPathComponent("README.md"),
                                encoding: .utf8)
        let start = try #require(readme.range(of: "## Did the optimization deliver?"))
        let section = String(readme[start.upperBound...])
        let lines = section.components(separatedBy: "## Deploy").first?.components(separatedBy: "\n")
            .filter { $0.hasPrefix("mmmbench ") } ?? []
        #expect(lines.count == 6, "README's phases: \(lines)")
        let documented = Set(try Self.examples().commands)
        for line in lines { #expect(documented.contains(line), "not in docs/compare.md: \(line)") }
    }
}
