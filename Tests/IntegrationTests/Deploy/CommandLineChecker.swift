import Foundation

/// An `mmmbench` command line found in a deployment file, and where.
struct FoundCommandLine: Sendable, CustomStringConvertible {
    /// The arguments after `mmmbench` (the program itself excluded).
    let arguments: [String]
    /// File and place inside it, e.g. `deploy/systemd/mmmbench-agent@.service ExecStart (agent bench-01)`.
    let source: String

    var description: String { "\(source): mmmbench \(arguments.joined(separator: " "))" }
}

/// Checks command lines with the built binary's `mmmbench check-command -- ARGS...` (its own parser and
/// `validate()`), and collects every failure with its source so one test run names all of them.
enum CommandLineChecker {
    struct Failure: Sendable, CustomStringConvertible {
        let line: FoundCommandLine
        let status: Int32
        let message: String
        var description: String { "\(line)\n    -> exit \(status): \(message)" }
    }

    /// The failures among `lines` (empty when every one is valid).
    static func failures(_ lines: [FoundCommandLine]) throws -> [Failure] {
        var failures: [Failure] = []
        for line in lines {
            let run = try ToolRun.run(ChildProcess.mmmbenchPath, ["check-command", "--"] + line.arguments,
                                      timeout: .seconds(60))
            if run.status != 0 || !run.stdout.hasPrefix("valid: mmmbench ") {
                let message = (run.stderr + run.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
                failures.append(Failure(line: line, status: run.status, message: message))
            }
        }
        return failures
    }

    /// A report of the failures, one block per command line.
    static func report(_ failures: [Failure]) -> String {
        "\(failures.count) invalid mmmbench command line(s):\n" + failures.map(\.description).joined(separator: "\n")
    }
}
