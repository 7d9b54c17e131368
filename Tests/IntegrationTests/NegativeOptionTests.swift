import Foundation
import Testing

/// A negative number after a space (`--time-scale -1`) is the option's value, judged by the option's own check,
/// not "Missing value for '--time-scale'": every numeric option of every subcommand.
@Suite("CLI: negative numbers are values, refused with the option's own message")
struct NegativeOptionTests {
    static let tls = ["--cert", "c.pem", "--key", "k.pem", "--ca", "ca.pem"]
    static let coordinator = ["coordinator", "--listen", "127.0.0.1:0", "--db", "x.sqlite"] + tls
    static let agent = ["agent", "--coordinator", "127.0.0.1:1", "--trainer-url", "http://127.0.0.1:1"] + tls
    static let collect = ["collect", "--trainer-url", "http://127.0.0.1:1", "--db", "x.sqlite"]

    static let cases: [(arguments: [String], option: String)] = [
        (coordinator, "--time-scale"), (coordinator, "--lease-seconds"), (coordinator, "--heartbeat-interval-ms"),
        (coordinator, "--heartbeat-timeout-ms"), (coordinator, "--check-min-agents"),
        (agent, "--slots"), (agent, "--give-up-after"),
        (collect, "--concurrency"), (collect, "--time-scale"),
        (["trainer"], "--work-scale"), (["trainer"], "--resamples"), (["trainer"], "--fit-threads"),
        (["certs", "init", "--dir", "certs"], "--days"),
        (["demo"], "--work-scale"), (["demo"], "--time-scale"), (["demo"], "--agents"), (["demo"], "--slots"),
        (["test-suite", "--target", "http://127.0.0.1:1"], "--connect-timeout"),
    ]

    @Test("every numeric option reads '-1' as its value and refuses it by name",
          arguments: cases.map { ($0.arguments + [$0.option, "-1"], $0.option) })
    func negativeValue(arguments: [String], option: String) async throws {
        let directory = try TemporaryDirectory()
        let child = try ChildProcess(arguments, directory: directory.path)
        let status = await child.waitForExit(timeout: .seconds(60))
        #expect(status == 64, "\(arguments.joined(separator: " ")): exit \(String(describing: status))\n\(child.text)")
        #expect(!child.text.contains("Missing value"), "\(child.text)")
        #expect(child.text.contains(option), "\(child.text)")
    }
}
