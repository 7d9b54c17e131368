import BenchCore
import Foundation
import Subprocess

/// A child `mmmbench` process started by the demo: its output is appended to a log file and scanned line by line,
/// and it is stopped by a signal when the demo ends.
///
/// Started through swift-subprocess, which resets the child's signal mask and dispositions: a child started with
/// Foundation `Process` inherited the demo's blocked signals and ignored SIGTERM, so `stop` had to fall back to
/// SIGKILL. Signals go through the library's `Execution.send` (a pidfd on Linux), never to a PID that may have been
/// reused.
final class ManagedProcess: Sendable {
    let name: String
    let logPath: String
    private let output = OutputLines()
    private let state = PThreadLockedValue(RunState())
    private let signals: AsyncStream<Subprocess.Signal>.Continuation

    /// What is known about the child: its exit status once it has exited, or why it could not start.
    private struct RunState {
        var status: Int32?
        var launchError: String?
        var ended: Bool { status != nil || launchError != nil }
    }

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
        let (requests, signals) = AsyncStream<Subprocess.Signal>.makeStream()
        self.signals = signals
        Task { [self] in
            do {
                let result = try await Subprocess.run(
                    .path(.init(Self.selfPath)), arguments: Arguments(arguments),
                    input: .none, output: .sequence, error: .combinedWithOutput
                ) { execution in
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask {
                            // Ends when the group is cancelled below (the output reached its end).
                            for await signal in requests { try? execution.send(signal: signal) }
                        }
                        do {
                            for try await buffer in execution.standardOutput {
                                let data = buffer.withUnsafeBytes { Data($0) }
                                log.write(data)
                                self.output.append(data).forEach(echo)
                            }
                        } catch {
                            self.output.append(Data("[demo: reading the output failed: \(error)]\n".utf8))
                                .forEach(echo)
                        }
                        group.cancelAll()
                    }
                }
                let status: Int32 = switch result.terminationStatus {
                case .exited(let code): code
                case .signaled(let signal): 128 + signal
                }
                self.state.withLock { $0.status = status }
            } catch {
                self.state.withLock { $0.launchError = "\(error)" }
            }
            try? log.close()
        }
    }

    var lines: [String] { output.lines }

    /// Whether the child has exited (or never started).
    var hasEnded: Bool { state.withLock { $0.ended } }

    /// Waits (bounded) for an output line containing `marker` and returns it.
    func waitForLine(containing marker: String, timeout: Duration) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lines.first(where: { $0.contains(marker) }) { return line }
            guard !hasEnded else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        if let line = lines.first(where: { $0.contains(marker) }) { return line }
        if let launchError = state.withLock({ $0.launchError }) {
            throw DemoError("\(name) could not start: \(launchError)")
        }
        throw DemoError("\(name) did not print '\(marker)'; see \(logPath)")
    }

    /// Waits (bounded) for the process to exit and returns its status (128 + N after signal N); nil if it is still
    /// running. Throws if it could not start.
    func waitForExit(timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while !hasEnded && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let ended = state.withLock { $0 }
        if let launchError = ended.launchError { throw DemoError("\(name) could not start: \(launchError)") }
        return ended.status
    }

    /// Asks the process to stop (SIGTERM), then kills it if it has not exited within `grace`.
    func stop(grace: Duration = .seconds(5)) async {
        guard !hasEnded else { return }
        signals.yield(.terminate)
        if (try? await waitForExit(timeout: grace)) == nil, !hasEnded {
            signals.yield(.kill)
            _ = try? await waitForExit(timeout: .seconds(10))
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
    private let state = PThreadLockedValue<(lines: [String], partial: String)>(([], ""))

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
