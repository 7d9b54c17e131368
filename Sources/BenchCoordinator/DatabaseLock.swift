#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on `<database>.lock` (the file `mmmbench collect` locks too), so that one process at a time
/// drives a collection: the scheduler's view of the jobs is only valid while nobody else writes them.
///
/// The kernel drops the lock when the process dies, so a SIGKILLed coordinator never leaves a stale lock.
/// Sendable: the descriptor is immutable after `init` and only closed in `deinit`.
final class DatabaseLock: Sendable {
    let path: String
    private let descriptor: Int32

    init(databasePath: String) throws(CoordinatorError) {
        path = databasePath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CoordinatorError(.databaseLocked, operation: "lock \(path)",
                                   reason: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw CoordinatorError(.databaseLocked, operation: "lock \(path)",
                                   reason: "another mmmbench coordinator or collector is running on this database")
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
