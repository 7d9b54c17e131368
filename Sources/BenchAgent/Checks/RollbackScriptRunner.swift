import BenchCore
import Foundation

/// Looks for the rollback script and runs its dry run with a deadline: SIGTERM to its process group when the time is
/// up (or the task is cancelled), SIGKILL ``RollbackObservation/terminationGraceSeconds`` later. Output (stdout and
/// stderr together, through a temporary file) is kept for the failure reason, its last 4 KiB. The script runs in
/// this process's working directory; a relative path is resolved from `workingDirectory`.
///
/// `posix_spawn` and `waitpid` directly rather than Foundation's `Process`, for three reasons: the script gets a
/// fresh signal state (mmmbench ignores and blocks SIGINT/SIGTERM while it runs, which a child would inherit and so
/// ignore the timeout's SIGTERM); the timeout reaches the script's whole process group (a `sleep` it started dies
/// with it); and no run-loop source is registered on a Swift concurrency thread.
struct RollbackScriptRunner: Sendable {
    var path: String
    var arguments: [String]
    var timeoutSeconds: Double
    var workingDirectory: String

    /// Output kept for the reason, in bytes.
    static let outputLimit = 4_096
    /// Further tries to start a script that is busy being written (ETXTBSY), about 1 s in all.
    static let busyRetries = 20

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

        // Output goes to a temporary file, read after the exit: no pipe reader, and a background child that keeps
        // the output open cannot hold the check up.
        let logPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-rollback-\(UUID().uuidString).log").path
        let logDescriptor = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard logDescriptor >= 0 else {
            return observation(.launchFailed("cannot create \(logPath) for its output: \(Self.errnoText(errno))"))
        }
        defer { unlink(logPath) }
        var spawned = ScriptSpawn.start(path: resolved, arguments: arguments, output: logDescriptor)
        // ETXTBSY: another thread's child, between its fork and exec, still holds a descriptor the script was
        // written through (the classic fork/exec race of multi-threaded processes). It passes within milliseconds.
        for attempt in 1...Self.busyRetries {
            guard case .failed(ETXTBSY) = spawned else { break }
            do {
                try await Task.sleep(for: .milliseconds(5 * attempt))
            } catch {
                close(logDescriptor)
                throw error
            }
            spawned = ScriptSpawn.start(path: resolved, arguments: arguments, output: logDescriptor)
        }
        close(logDescriptor)
        let pid: pid_t
        switch spawned {
        case .failed(let code): return observation(.launchFailed(Self.errnoText(code)))
        case .running(let started): pid = started
        }

        // The supervising thread signals the script's process group (the script and what it started) on timeout
        // or cancellation, and reaps it.
        let stop = StopFlag()
        let (result, timedOut) = await withTaskCancellationHandler {
            await ScriptSpawn.supervise(
                pid, timeoutSeconds: timeoutSeconds, graceSeconds: RollbackObservation.terminationGraceSeconds,
                stop: stop)
        } onCancel: {
            stop.set()
        }
        try Task.checkCancellation()
        let tail = Self.tail(ofFileAt: logPath)
        return observation(timedOut ? .timedOut : result, tail)
    }

    static func errnoText(_ code: Int32) -> String {
        String(cString: strerror(code)) + " (errno \(code))"
    }

    /// The last ``outputLimit`` bytes of the output file as text, at most its last 20 lines, trimmed.
    static func tail(ofFileAt path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(outputLimit) ? size - UInt64(outputLimit) : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return lines.suffix(20).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
