import BenchCore
import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starting a script as a child process in its own process group and waiting for it, with POSIX calls only.
enum ScriptSpawn {
    /// A started child, or the errno of the failure to start it.
    enum Started {
        case running(pid_t)
        case failed(Int32)
    }

    /// Starts `path` with `arguments`, stdin from `/dev/null`, stdout and stderr to `output`, in a new process
    /// group led by the child.
    static func start(path: String, arguments: [String], output: Int32) -> Started {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else { return .failed(errno) }
        defer { posix_spawn_file_actions_destroy(&actions) }
        guard posix_spawnattr_init(&attributes) == 0 else { return .failed(errno) }
        defer { posix_spawnattr_destroy(&attributes) }
        var code = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if code == 0 { code = posix_spawn_file_actions_adddup2(&actions, output, 1) }
        if code == 0 { code = posix_spawn_file_actions_adddup2(&actions, output, 2) }
        if code == 0 { code = posix_spawnattr_setpgroup(&attributes, 0) }
        // A fresh signal state: this process may block or ignore SIGINT/SIGTERM (signal sources, SIG_IGN), which a
        // child would otherwise inherit and so ignore the timeout's SIGTERM.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD] {
            sigaddset(&defaults, number)
        }
        if code == 0 { code = posix_spawnattr_setsigmask(&attributes, &unblocked) }
        if code == 0 { code = posix_spawnattr_setsigdefault(&attributes, &defaults) }
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if code == 0 { code = posix_spawnattr_setflags(&attributes, Int16(flags)) }
        guard code == 0 else { return .failed(code) }

        let argv = ([path] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        code = (argv + [nil]).withUnsafeBufferPointer { buffer in
            guard let arguments = buffer.baseAddress else { return EINVAL }
            return posix_spawn(&pid, path, &actions, &attributes, arguments, environ)
        }
        return code == 0 ? .running(pid) : .failed(code)
    }

    /// Supervises a started child on a dedicated thread (not a Swift concurrency thread, no dispatch timers):
    /// polls for its exit every 10 ms, sends SIGTERM to its process group once `timeoutSeconds` have passed or
    /// `stop` is set, SIGKILL `graceSeconds` later, and reaps it. Signals are sent only before the child is
    /// reaped, by the same thread, so they can never reach a reused pid.
    static func supervise(
        _ pid: pid_t, timeoutSeconds: Double, graceSeconds: Double, stop: StopFlag
    ) async -> (result: RollbackObservation.Result, timedOut: Bool) {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let started = ContinuousClock.now
                var terminatedAt: ContinuousClock.Instant?
                var killed = false
                var timedOut = false
                var status: Int32 = 0
                while true {
                    let reaped = waitpid(pid, &status, WNOHANG)
                    if reaped == pid { break }
                    if reaped == -1 && errno != EINTR {
                        continuation.resume(returning: (.launchFailed("waitpid failed: errno \(errno)"), false))
                        return
                    }
                    let now = ContinuousClock.now
                    if terminatedAt == nil, stop.isSet || started.duration(to: now) >= .seconds(timeoutSeconds) {
                        timedOut = !stop.isSet
                        kill(-pid, SIGTERM)
                        terminatedAt = now
                    } else if let terminatedAt, !killed, terminatedAt.duration(to: now) >= .seconds(graceSeconds) {
                        kill(-pid, SIGKILL)
                        killed = true
                    }
                    usleep(10_000)
                }
                let signal = status & 0x7f
                let ending: RollbackObservation.Result =
                    signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
                continuation.resume(returning: (ending, timedOut))
            }
            thread.name = "mmmbench-rollback-wait"
            thread.start()
        }
    }
}

/// A flag set from one task and read by the supervising thread.
final class StopFlag: Sendable {
    private let flag = NIOLockedValueBox(false)

    var isSet: Bool { flag.withLockedValue { $0 } }

    func set() { flag.withLockedValue { $0 = true } }
}
