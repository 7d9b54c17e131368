import Foundation
import NIOConcurrencyHelpers
import TestSupport
import TestTiming

/// A real `mmmbench` child process with its output captured line by line, for integration tests.
///
/// Waiting is always bounded by a deadline; a process still running when the test ends is killed by its PID.
final class ChildProcess: Sendable {
    let process: Process
    private let buffer = LineBuffer()

    /// The `mmmbench` executable built next to the test bundle.
    static var mmmbenchPath: String {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("mmmbench").path
    }

    /// Variables added to the environment of every child started in the current task (crash-point tests).
    @TaskLocal static var extraEnvironment: [String: String] = [:]

    init(_ arguments: [String], executable: String = ChildProcess.mmmbenchPath, directory: String? = nil) throws {
        process = Process()
        if !Self.extraEnvironment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(Self.extraEnvironment) { $1 }
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [buffer] handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                buffer.finish()
                handle.readabilityHandler = nil
                return
            }
            buffer.append(data)
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var lines: [String] { buffer.lines }
    var text: String { lines.joined(separator: "\n") }

    /// Waits until a line satisfies `predicate`, returning it; nil if the deadline passes or the process exits first.
    func waitForLine(timeout: Duration = .seconds(120), _ predicate: (String) -> Bool) async -> String? {
        let deadline = ContinuousClock.now + TestTiming.scaled(timeout)
        while ContinuousClock.now < deadline {
            if let line = lines.first(where: predicate) { return line }
            if !process.isRunning {
                _ = await waitForExit()  // returns at once; waits for the rest of the output
                return lines.first(where: predicate)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Waits for the process to exit; returns its status, or nil if it is still running at the deadline.
    func waitForExit(timeout: Duration = .seconds(120)) async -> Int32? {
        let deadline = ContinuousClock.now + TestTiming.scaled(timeout)
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard !process.isRunning else { return nil }
        // The output still in the pipe arrives after the exit: wait for its end (bounded: a grandchild may hold the
        // pipe open), so `text` is complete when this returns.
        let drained = ContinuousClock.now + TestTiming.scaled(.seconds(10))
        while !buffer.isFinished && ContinuousClock.now < drained {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return process.terminationStatus
    }

    /// Sends a signal to this child (only ever a process this test started).
    func signal(_ number: Int32) {
        if process.isRunning { kill(pid, number) }
    }

    /// Kills a child still running and waits for it, bounded. Not `Process.waitUntilExit()`: when Foundation misses
    /// a child's exit (an ASan run left SIGKILLed children as zombies that `Process` never reaped), it spins its run
    /// loop forever on a cooperative thread, and the whole test process stood still for 15 minutes.
    deinit {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        kill(pid, SIGKILL)
        let deadline = ContinuousClock.now + TestTiming.scaled(.seconds(10))
        while process.isRunning && ContinuousClock.now < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return }  // reaped here: Foundation missed the exit
            usleep(10_000)
        }
    }
}

/// A temporary directory removed at the end of the test.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("mmmbench-it-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes an executable script (mode 0755) and returns its path, through `ScriptFile` (no descriptor a
    /// parallel test's child could inherit, so its exec never fails with "Text file busy").
    func executable(_ name: String, _ text: String) throws -> String {
        let target = file(name)
        try ScriptFile.write(text, to: target)
        return target
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Starts `mmmbench trainer` on 127.0.0.1 port 0 and learns its URL from its first line.
func startTrainer(_ extra: [String] = []) async throws -> (ChildProcess, String) {
    let trainer = try ChildProcess(["trainer", "--listen", "127.0.0.1:0", "--log-level", "warning"] + extra)
    let prefix = "trainer listening on "
    guard let line = await trainer.waitForLine(timeout: .seconds(180), { $0.hasPrefix(prefix) }) else {
        throw IntegrationError("trainer did not report its port:\n\(trainer.text)")
    }
    return (trainer, String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces))
}

struct IntegrationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Output of a child split into lines as it arrives.
///
/// Guarded by `NIOLockedValueBox` (a pthread mutex), not `Synchronization.Mutex`: on Linux `Mutex` locks with a
/// futex inside the uninstrumented Swift runtime, so ThreadSanitizer cannot see it and reports every access from
/// the pipe's reader thread and the test's thread as a race although each is under the lock (proof:
/// scripts/sanitizers/tsan-mutex-repro.sh: 9 of 10 runs report with `Mutex`, 0 of 10 with NSLock). A lock TSan
/// sees keeps this helper checked instead of suppressed.
final class LineBuffer: Sendable {
    private let state = NIOLockedValueBox<(lines: [String], partial: String, finished: Bool)>(([], "", false))

    func append(_ data: Data) {
        state.withLockedValue { state in
            state.partial += String(decoding: data, as: UTF8.self)
            var parts = state.partial.components(separatedBy: "\n")
            state.partial = parts.removeLast()
            state.lines.append(contentsOf: parts)
        }
    }

    var lines: [String] {
        state.withLockedValue { $0.lines + ($0.partial.isEmpty ? [] : [$0.partial]) }
    }

    /// Marks the end of the output (the pipe reached end of file).
    func finish() { state.withLockedValue { $0.finished = true } }

    /// Whether the pipe reached end of file.
    var isFinished: Bool { state.withLockedValue { $0.finished } }
}
