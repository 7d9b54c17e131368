import Foundation
import Synchronization

/// A child `mmmbench` process started by the demo: its output is appended to a log file and scanned line by line,
/// and it is stopped by its PID when the demo ends.
final class ManagedProcess: Sendable {
    let name: String
    let process: Process
    let logPath: String
    private let output = OutputLines()

    /// This executable, so the demo runs its own subcommands as separate processes.
    static var selfPath: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }

    /// Starts `mmmbench <arguments>`; each output line goes to `logPath` and to `echo`.
    init(name: String, arguments: [String], logPath: String, echo: @escaping @Sendable (String) -> Void = { _ in })
        throws
    {
        self.name = name
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.selfPath)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            log.write(data)
            output.append(data).forEach(echo)
        }
        try process.run()
    }

    var lines: [String] { output.lines }

    /// Waits (bounded) for an output line containing `marker` and returns it.
    func waitForLine(containing marker: String, timeout: Duration) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lines.first(where: { $0.contains(marker) }) { return line }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        if let line = lines.first(where: { $0.contains(marker) }) { return line }
        throw DemoError("\(name) did not print '\(marker)'; see \(logPath)")
    }

    /// Waits (bounded) for the process to exit and returns its status; nil if it is still running.
    func waitForExit(timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Asks the process to stop (SIGTERM), then kills it if it has not exited within `grace`.
    func stop(grace: Duration = .seconds(5)) async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        if (try? await waitForExit(timeout: grace)) == nil, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// A demo step that failed, with where to look.
struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Output of a child process split into complete lines as it arrives.
final class OutputLines: Sendable {
    private let state = Mutex<(lines: [String], partial: String)>(([], ""))

    /// Adds bytes and returns the lines they completed.
    func append(_ data: Data) -> [String] {
        state.withLock { state in
            state.partial += String(decoding: data, as: UTF8.self)
            var parts = state.partial.components(separatedBy: "\n")
            state.partial = parts.removeLast()
            state.lines.append(contentsOf: parts)
            return parts
        }
    }

    var lines: [String] { state.withLock { $0.lines } }
}
