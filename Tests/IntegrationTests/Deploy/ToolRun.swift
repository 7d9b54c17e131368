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
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw IntegrationError("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        process.waitUntilExit()
        return ToolRun(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
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
