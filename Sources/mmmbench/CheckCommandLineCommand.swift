import ArgumentParser
import Foundation

/// `mmmbench check-command -- ARGS...` (hidden): says whether `mmmbench ARGS...` is a valid command line, without
/// running it.
///
/// The arguments go through the same parser and the same `validate()` as a real invocation (flags, values, ranges,
/// addresses, names), and nothing else: no file is read, no socket opened. Deployment files (systemd units,
/// compose files, Kubernetes manifests, shell recipes) are checked with it by the tests, so a typo in a flag fails a
/// test instead of a production start.
struct CheckCommandLineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-command",
        abstract: "Check that `mmmbench ARGS...` parses and validates, without running it.",
        discussion: """
            Usage: mmmbench check-command -- coordinator --listen 0.0.0.0:7443 --db ...
            Exit status: 0 and `valid: mmmbench SUBCOMMAND` when the command line parses and passes the \
            subcommand's validation (no file is opened); 64 and the parser's message otherwise (also for a \
            command line that only asks for help or names no subcommand).
            """,
        shouldDisplay: false
    )

    @Argument(parsing: .captureForPassthrough, help: "The command line to check, after `--`.")
    var arguments: [String] = []

    func run() throws {
        var line = arguments
        if line.first == "--" { line.removeFirst() }
        switch CommandLineCheck.check(line) {
        case .valid(let subcommand):
            print("valid: mmmbench \(subcommand)")
        case .invalid(let message):
            FileHandle.standardError.write(Data("invalid: mmmbench \(line.joined(separator: " "))\n\(message)\n".utf8))
            throw ExitCode(64)
        }
    }
}

/// The verdict on one command line, by the root command's own parser.
enum CommandLineCheck: Equatable {
    /// The line parses and validates; `subcommand` is its path, e.g. `certs agent`.
    case valid(subcommand: String)
    /// The parser's (or `validate()`'s) message.
    case invalid(message: String)

    static func check(_ arguments: [String]) -> CommandLineCheck {
        let parsed: any ParsableCommand
        do {
            parsed = try Mmmbench.parseAsRoot(arguments)
        } catch {
            let message = Mmmbench.fullMessage(for: error)
            if Mmmbench.exitCode(for: error) == .success {
                return .invalid(message: "asks for help or the version, it does not run anything:\n\(message)")
            }
            return .invalid(message: message)
        }
        if parsed is Mmmbench {
            return .invalid(message: "names no subcommand")
        }
        if Swift.type(of: parsed).configuration.commandName == "help" {
            return .invalid(message: "asks for help, it does not run anything")
        }
        if parsed is CheckCommandLineCommand {
            return .invalid(message: "check-command checks other command lines, not itself")
        }
        let path = Swift.type(of: parsed).configuration.commandName ?? "\(Swift.type(of: parsed))"
        let parents = arguments.prefix { !$0.hasPrefix("-") && $0 != path }
        return .valid(subcommand: (Array(parents) + [path]).joined(separator: " "))
    }
}
