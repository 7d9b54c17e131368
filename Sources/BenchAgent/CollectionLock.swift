#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock`) on `<database>.lock`, so two collectors never drive one database at once.
///
/// The kernel drops the lock when the process dies, so a SIGKILLed collector never leaves a stale lock behind.
public final class CollectionLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock or throws a message naming the file when another process holds it.
    public init(databasePath: String) throws(CollectionLockError) {
        path = databasePath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CollectionLockError(path: path, reason: "cannot open lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw CollectionLockError(path: path,
                                      reason: "another mmmbench process is running a collection on this database")
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// The collection lock could not be taken.
public struct CollectionLockError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}
