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
        (coordinator, "--heartbeat-timeout-ms"), (coordinator, "--hello-timeout-seconds"),
        (coordinator, "--check-min-agents"),
        (agent, "--slots"), (agent, "--give-up-after"),
        (collect, "--concurrency"), (collect, "--time-scale"),
        (["trainer"], "--work-scale"), (["trainer"], "--resamples"), (["trainer"], "--fit-threads"),
        (["trainer"], "--data-scale"),
        (["certs", "init", "--dir", "certs"], "--days"),
        (["demo"], "--work-scale"), (["demo"], "--time-scale"), (["demo"], "--agents"), (["demo"], "--slots"),
        (["test-suite", "--target", "http://127.0.0.1:1"], "--connect-timeout"),
    ]

    /// Runs `mmmbench arguments` to its exit and returns its status and everything it printed (read to EOF, so
    /// nothing printed just before a quick exit is missed).
    static func run(_ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ChildProcess.mmmbenchPath)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("every numeric option reads '-1' as its value and refuses it by name",
          arguments: cases.map { ($0.arguments + [$0.option, "-1"], $0.option) })
    func negativeValue(arguments: [String], option: String) throws {
        let directory = try TemporaryDirectory()
        let (status, output) = try Self.run(arguments, in: directory.path)
        #expect(status == 64, "\(arguments.joined(separator: " ")): exit \(status)\n\(output)")
        #expect(!output.contains("Missing value"), "\(output)")
        #expect(output.contains(option), "\(output)")
    }
}
