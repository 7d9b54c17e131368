import Foundation

/// Runs a child process (the `openssl` CLI) with stdin data, captures its output, bounded by a deadline.
enum ChildProcess {
    struct Output: Sendable {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// Full path of `openssl` on PATH, or nil when it is not installed.
    static let opensslPath: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/openssl" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Runs `executable` with `arguments`, writes `input` to its stdin and closes it, and waits for it to exit.
    /// The process is terminated if it has not exited after `timeout` seconds.
    static func run(_ executable: String, _ arguments: [String], input: String = "", timeout: Double = 30)
        async throws -> Output
    {
        // Writing to a child that already exited must not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let (exits, exitContinuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            exitContinuation.yield(finished.terminationStatus)
            exitContinuation.finish()
        }
        try process.run()
        async let standardOutput = readToEnd(stdout.fileHandleForReading)
        async let standardError = readToEnd(stderr.fileHandleForReading)
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()

        let status: Int32
        do {
            status = try await withDeadline(timeout, "\(executable) to exit") {
                for await status in exits { return status }
                return -1
            }
        } catch {
            // SIGKILL: a child spawned from a dispatch or cooperative-pool thread inherits a signal mask in which
            // SIGTERM is blocked, so `terminate()` would not stop it.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            _ = await (standardOutput, standardError)
            throw error
        }
        return Output(status: status, standardOutput: await standardOutput, standardError: await standardError)
    }

    /// Reads a pipe to EOF on a dispatch thread (a blocking read must not occupy the cooperative pool).
    private static func readToEnd(_ handle: FileHandle) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = (try? handle.readToEnd()) ?? Data()
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
    }
}
