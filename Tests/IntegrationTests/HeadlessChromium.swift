import Foundation

/// Debian's `chromium` run headless on a local file, for tests that look at a page as a person's browser renders
/// it: the DOM after rendering, a screenshot, and the console messages the page produced.
struct HeadlessChromium {
    let executable: String

    /// `chromium` (or `chromium-browser`) on the PATH, or nil.
    static func find() -> HeadlessChromium? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) {
                    return HeadlessChromium(executable: candidate)
                }
            }
        }
        return nil
    }

    /// True when the tests run in CI (`CI=true`), where a missing browser is a failure, not a skip.
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// What one run printed: standard output (the DOM for `--dump-dom`) and the log on standard error.
    struct Output {
        let stdout: String
        let log: String

        /// Console messages of the page (`console.*`, uncaught exceptions, resources that failed to load), as
        /// Chromium logs them with `--enable-logging=stderr`: lines with `:CONSOLE` or `Uncaught`.
        var consoleLines: [String] {
            log.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
        }
    }

    /// Runs chromium headless on `file` with `arguments` (plus the flags every run needs: no sandbox as root, no
    /// GPU, its own profile directory, logging to stderr), bounded by `timeout`; kills it (by PID) past that.
    func run(file: String, arguments: [String], profile: String, timeout: Duration = .seconds(90)) async throws
        -> Output {
        try await run(url: URL(fileURLWithPath: file).absoluteString, arguments: arguments, profile: profile,
                      timeout: timeout)
    }

    /// Runs chromium headless on `url` (a page served on loopback, or a `file:` URL), as `run(file:…)` does.
    func run(url: String, arguments: [String], profile: String, timeout: Duration = .seconds(90)) async throws
        -> Output {
        let outPath = profile + ".stdout"
        let logPath = profile + ".stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer {
            try? out.close()
            try? log.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)",
                             "--enable-logging=stderr", "--v=0", "--no-first-run", "--disable-extensions"]
            + arguments + [url]
        process.standardOutput = out
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw IntegrationError("chromium did not finish within \(timeout): \(arguments)")
        }
        let stdout = try String(contentsOfFile: outPath, encoding: .utf8)
        let stderr = try String(contentsOfFile: logPath, encoding: .utf8)
        guard process.terminationStatus == 0 else {
            throw IntegrationError("chromium exited with \(process.terminationStatus):\n\(stderr.suffix(4000))")
        }
        return Output(stdout: stdout, log: stderr)
    }
}
