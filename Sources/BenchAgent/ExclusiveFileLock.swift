#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// An exclusive advisory lock (`flock`) on a file, released explicitly or when the process dies.
final class ExclusiveFileLock: Sendable {
    let path: String
    private let descriptor: Mutex<Int32?>

    /// Takes the lock on `path` (creating the file) or returns nil when another open file holds it.
    /// - Throws: the `strerror` text when the file cannot be opened.
    init?(path: String) throws(LockFileError) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LockFileError(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        descriptor = Mutex(fd)
    }

    /// Releases the lock (idempotent).
    func release() {
        let fd = descriptor.withLock { value -> Int32? in
            defer { value = nil }
            return value
        }
        guard let fd else { return }
        flock(fd, LOCK_UN)
        close(fd)
    }

    deinit {
        release()
    }
}

/// A lock file could not be opened.
struct LockFileError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "\(path): \(reason)" }
}
