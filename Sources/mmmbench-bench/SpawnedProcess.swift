import Foundation

/// A `mmmbench` child process (coordinator or agent) started with `posix_spawn`: stdout and stderr go to a log file
/// (a file, not a pipe, so the child can never block on output nobody reads), its signal mask is empty and SIGTERM
/// and SIGINT have their default disposition whatever this process blocks or ignores, and it is stopped by its PID.
/// Once it has exited, ``cpuSeconds`` is the user plus system CPU time it used (from `wait4`).
///
/// Not Sendable: owned and used by the benchmark's one task.
final class SpawnedProcess {
    let pid: pid_t
    let logPath: String
    private var exitStatus: Int32?
    /// User plus system CPU seconds of the process, known once it has exited.
    private(set) var cpuSeconds: Double?

    /// Starts `executable` with `arguments`; output to `logPath` (created or truncated).
    /// - Throws: ``IdleAgentsError`` `.coordinator` when `posix_spawn` fails.
    init(executable: String, arguments: [String], logPath: String) throws(IdleAgentsError) {
        self.logPath = logPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environment.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, environment)
        guard result == 0 else {
            throw IdleAgentsError(kind: .coordinator, operation: "start \(executable)",
                                  reason: String(cString: strerror(result)))
        }
        pid = child
    }

    /// Whether the process has exited (reaps it the first time it is seen gone).
    var hasExited: Bool {
        if exitStatus != nil { return true }
        var status: Int32 = 0
        var usage = rusage()
        let result = wait4(pid, &status, WNOHANG, &usage)
        if result == pid || (result == -1 && errno == ECHILD) {
            exitStatus = status
            if result == pid {
                func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
                cpuSeconds = seconds(usage.ru_utime) + seconds(usage.ru_stime)
            }
            return true
        }
        return false
    }

    /// How the process ended, for messages: `exit 130`, `signal 9`, or `running`.
    var exitDescription: String {
        guard hasExited, let status = exitStatus else { return "running" }
        let signal = status & 0x7f
        return signal == 0 ? "exit \((status >> 8) & 0xff)" : "signal \(signal)"
    }

    /// Waits up to `timeout` for the process to exit; true if it did.
    func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !hasExited {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    /// SIGTERM (a graceful stop: the coordinator says bye to its agents), then SIGKILL if it has not exited within
    /// `grace`. Returns how it ended.
    @discardableResult
    func stop(grace: Duration) async -> String {
        guard !hasExited else { return exitDescription }
        kill(pid, SIGTERM)
        if await waitForExit(timeout: grace) { return exitDescription }
        kill(pid, SIGKILL)
        _ = await waitForExit(timeout: .seconds(10))
        return exitDescription + " (SIGKILL after \(grace) without exiting on SIGTERM)"
    }
}
