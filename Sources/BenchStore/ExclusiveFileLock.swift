import BenchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single-writer lock of a database file: an exclusive `flock` on the file itself, so that the lock follows the
/// file and not the spelling of its path (a symlink, a hard link, `..`, a bind mount all reach the same inode and
/// the same lock). Used by the coordinator and `mmmbench collect` on the collection database (through
/// ``BenchStore/init(soleWriterOf:)``) and by the agent on its outbox.
///
/// - The kernel drops the lock when the process dies, so a SIGKILLed process never leaves a stale lock.
/// - On Linux `flock` and the POSIX `fcntl` locks SQLite takes on the same file are independent: holding this lock
///   never blocks SQLite, and readers such as `mmmbench status` still open the database.
/// - POSIX locks are per process and dropped when *any* descriptor of the file closes: releasing this lock closes
///   its descriptor, which would drop the SQLite locks this process holds on the file. Release it only after every
///   SQLite connection to the file is closed (``BenchStore`` and the outbox do so).
/// - The file must be on a local file system (as SQLite's WAL mode requires anyway): over NFS Linux emulates `flock`
///   with `fcntl` locks, which would interfere with SQLite's.
///
/// Sendable: the descriptor is behind a pthread mutex, taken once by ``release()``.
public final class ExclusiveFileLock: Sendable {
    /// The path the lock was taken through.
    public let path: String
    private let descriptor: PThreadLockedValue<Int32?>

    /// Opens `path` (creating an empty file if it does not exist: SQLite treats it as an empty database) and takes
    /// the lock without waiting.
    /// - Throws: ``FileLockError`` `.held` when another open file description holds it (another process, or another
    ///   opener in this one), `.open` when the file cannot be opened (the `strerror` text).
    public init(lockingFileAt path: String) throws(FileLockError) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileLockError(.open, path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? "locked by another process" : String(cString: strerror(errno))
            close(fd)
            throw FileLockError(.held, path: path, reason: reason)
        }
        descriptor = PThreadLockedValue(fd)
    }

    /// Releases the lock (idempotent). Close every SQLite connection to the file first (see the type's notes).
    public func release() {
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

/// The lock of a database file could not be taken.
public struct FileLockError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why, to match on.
    public enum Code: Sendable, Equatable {
        /// Another process (or another open of the file in this one) holds the lock.
        case held
        /// The file could not be opened (missing directory, permissions, a directory...).
        case open
    }

    public let code: Code
    public let path: String
    public let reason: String

    public init(_ code: Code, path: String, reason: String) {
        self.code = code
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
