import BenchCore
import Foundation
import Synchronization

/// Looks for the rollback script and runs its dry run with a deadline: SIGTERM when the time is up, SIGKILL
/// ``RollbackObservation/terminationGraceSeconds`` later. Output (stdout and stderr together) is kept for the
/// failure reason, its last 4 KiB.
///
/// Signals go only to the process this runner started, and only while it has not been seen to exit.
struct RollbackScriptRunner: Sendable {
    var path: String
    var arguments: [String]
    var timeoutSeconds: Double
    var workingDirectory: String

    /// Output kept for the reason.
    static let outputLimit = 4_096
    /// How long to wait for the output pipe to close after the script exited (a background child may hold it).
    static let outputDrainSeconds = 1.0

    var resolvedPath: String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: workingDirectory).appendingPathComponent(path).path
    }

    func run() async throws -> RollbackObservation {
        let resolved = resolvedPath
        func observation(_ result: RollbackObservation.Result, _ output: String = "") -> RollbackObservation {
            RollbackObservation(path: path, resolvedPath: resolved, result: result, outputTail: output)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            return observation(.missing)
        }
        guard !isDirectory.boolValue else { return observation(.directory) }
        guard FileManager.default.isExecutableFile(atPath: resolved) else { return observation(.notExecutable) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: resolved)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = OutputTail(limit: Self.outputLimit)
        let (closed, closedContinuation) = AsyncStream.makeStream(of: Void.self)
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                closedContinuation.finish()
            } else {
                output.append(data)
            }
        }
        let (exited, exitedContinuation) = AsyncStream.makeStream(of: (Process.TerminationReason, Int32).self)
        let exitSeen = Mutex(false)
        process.terminationHandler = { process in
            exitSeen.withLock { $0 = true }
            exitedContinuation.yield((process.terminationReason, process.terminationStatus))
            exitedContinuation.finish()
        }
        do {
            try process.run()
        } catch {
            pipe.fileHandleForReading.readabilityHandler = nil
            return observation(.launchFailed(error.localizedDescription))
        }
        // `Process.run()` has closed our copy of the write end, so EOF arrives once the child's copies close.
        let pid = process.processIdentifier
        let timedOut = Mutex(false)
        let signal: @Sendable (Int32) -> Void = { number in
            exitSeen.withLock { seen in if !seen { kill(pid, number) } }
        }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(timeoutSeconds))
            timedOut.withLock { $0 = true }
            signal(SIGTERM)
            try await Task.sleep(for: .seconds(RollbackObservation.terminationGraceSeconds))
            signal(SIGKILL)
        }
        let ending = await withTaskCancellationHandler {
            var ending: (Process.TerminationReason, Int32)?
            for await value in exited { ending = value }
            return ending
        } onCancel: {
            signal(SIGTERM)
            watchdog.cancel()
            Task {
                try await Task.sleep(for: .seconds(RollbackObservation.terminationGraceSeconds))
                signal(SIGKILL)
            }
        }
        watchdog.cancel()
        await Self.waitForClose(closed)
        try Task.checkCancellation()
        let tail = output.text
        guard let (reason, status) = ending else { return observation(.launchFailed("no exit status"), tail) }
        if timedOut.withLock({ $0 }) { return observation(.timedOut, tail) }
        return observation(reason == .exit ? .exited(status) : .signalled(status), tail)
    }

    /// Waits until the output pipe is closed, at most ``outputDrainSeconds``.
    private static func waitForClose(_ closed: AsyncStream<Void>) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in closed {} }
            group.addTask { try? await Task.sleep(for: .seconds(outputDrainSeconds)) }
            await group.next()
            group.cancelAll()
        }
    }
}

/// The last `limit` bytes written to a pipe, appended from Foundation's reader thread.
final class OutputTail: Sendable {
    private let limit: Int
    private let bytes = Mutex(Data())

    init(limit: Int) {
        self.limit = limit
    }

    func append(_ data: Data) {
        bytes.withLock { bytes in
            bytes.append(data)
            if bytes.count > limit { bytes.removeFirst(bytes.count - limit) }
        }
    }

    /// The kept output as text, trimmed, with its last 20 lines at most.
    var text: String {
        let text = String(decoding: bytes.withLock { $0 }, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(20)
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
