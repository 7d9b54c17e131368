import Foundation
import Testing

/// One run of an external program to completion, with stdout and stderr captured separately (through temporary
/// files, so a chatty program never blocks on a full pipe) and a deadline after which it is killed by its PID.
struct ToolRun: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs `executable` (an absolute path, or a name looked up in PATH through /usr/bin/env).
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        directory: String? = nil, timeout: Duration = .seconds(120)
    ) throws -> ToolRun {
        let scratch = try TemporaryDirectory()
        let outPath = scratch.file("stdout")
        let errPath = scratch.file("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        if executable.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let deadline = ContinuousClock.now + timeout
        // The exit is read with waitpid here, not only through `Process.isRunning`: under an ASan run at load 15
        // Foundation once never saw a finished `openssl ca -gencrl` exit, and the test waited out its 120 s.
        var reaped: Int32?
        while process.isRunning && ContinuousClock.now < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                reaped = status
                break
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        if reaped == nil && process.isRunning {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)  // reaped here whether or not Foundation notices
            throw IntegrationError("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        return ToolRun(
            status: reaped.map(Self.exitStatus) ?? process.terminationStatus,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// The exit code in a `waitpid` status, or 128 + the signal that ended the process (what a shell reports).
    static func exitStatus(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Whether `name` is found in PATH.
    static func available(_ name: String) -> Bool {
        (try? run("/bin/sh", ["-c", "command -v \(name)"], timeout: .seconds(10)).status) == 0
    }
}

/// Where deployment tests find the repository and decide what to do about a missing tool.
enum DeployTestSupport {
    /// The repository root (three levels above this file).
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A file of the repository, by its path from the root.
    static func path(_ relative: String) -> String { repositoryRoot + "/" + relative }

    /// The text of a repository file.
    static func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// CI sets CI=true: there a missing tool fails the test instead of skipping it.
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Run the test when the tool is there, or in CI (where it must be, and its absence fails the test).
    static func toolOrCI(_ name: String) -> Bool { isCI || ToolRun.available(name) }

    /// Fails the test with the setup script to run when `name` is missing (in CI; elsewhere the test is skipped).
    static func requireTool(_ name: String, installedBy script: String) throws {
        try #require(ToolRun.available(name), "\(name) is missing: run \(script) (CI runs it before swift test)")
    }
}
