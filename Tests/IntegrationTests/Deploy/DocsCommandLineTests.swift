import Foundation
import Testing

/// The `mmmbench` command lines shown in the operator's documentation (fenced blocks of docs/operations.md,
/// docs/tls.md and the deploy READMEs) are valid invocations of this binary.
@Suite("Deploy: command lines in the docs")
struct DocsCommandLineTests {
    static let documents = ["docs/operations.md", "docs/tls.md", "certs-example/README.md"]

    /// Lines in fenced code blocks that start with `mmmbench ` (backslash continuations joined, `# comments`
    /// dropped), split as the shell would split these simple lines (no quotes or variables in them).
    static func commandLines(in relative: String) throws -> [FoundCommandLine] {
        var lines: [FoundCommandLine] = []
        var inFence = false
        var pending = ""
        for (number, raw) in try DeployTestSupport.read(relative).components(separatedBy: "\n").enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                inFence.toggle()
                pending = ""
                continue
            }
            guard inFence else { continue }
            var line = pending.isEmpty ? trimmed : pending + " " + trimmed
            if line.hasSuffix("\\") {
                pending = String(line.dropLast())
                continue
            }
            pending = ""
            if let comment = line.range(of: " #") { line = String(line[..<comment.lowerBound]) }
            // A command started in the background (`... &`) is the same command line.
            if line.hasSuffix(" &") { line = String(line.dropLast(2)) }
            guard line.hasPrefix("mmmbench ") else { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            lines.append(FoundCommandLine(arguments: Array(words.dropFirst()), source: "\(relative):\(number + 1)"))
        }
        return lines
    }

    @Test("every mmmbench command line in a fenced block of the operator docs is valid")
    func documentedCommandLinesAreValid() throws {
        var lines: [FoundCommandLine] = []
        for document in Self.documents { lines += try Self.commandLines(in: document) }
        #expect(lines.count >= 15, "found only \(lines.count) command lines")
        let unquoted = lines.filter { line in line.arguments.contains { $0.contains("$") || $0.contains("\"") } }
        #expect(unquoted.isEmpty, "lines with shell syntax this reader does not expand: \(unquoted)")
        let checkable = lines.filter { line in
            guard let subcommand = line.arguments.first else { return false }
            return subcommand != "check-command"  // examples of invalid lines: checked below
        }
        let failures = try CommandLineChecker.failures(checkable)
        #expect(failures.isEmpty, "\(CommandLineChecker.report(failures))")
    }

    @Test("the check-command example of docs/operations.md answers what the text says it answers")
    func checkCommandExample() throws {
        let document = "docs/operations.md"
        let examples = try Self.commandLines(in: document).filter { $0.arguments.first == "check-command" }
        let example = try #require(examples.first, "docs/operations.md shows a check-command example")
        let text = try DeployTestSupport.read(document)
        let lineNumber = try #require(Int(example.source.split(separator: ":").last ?? ""))
        let after = text.components(separatedBy: "\n").dropFirst(lineNumber).joined(separator: "\n")
        let answers = try #require(after.range(of: "answers `"))
        let said = String(after[answers.upperBound...].prefix { $0 != "`" })
        let run = try ToolRun.run(ChildProcess.mmmbenchPath, example.arguments)
        #expect(run.status == 64 && after.contains("exit status 64"))
        #expect(run.stderr.contains(said), "the docs say `\(said)`, the binary says:\n\(run.stderr)")
    }
}
