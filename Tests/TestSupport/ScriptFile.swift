import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Script files for tests to execute, written so that a parallel test's child cannot make them unexecutable.
///
/// The file is written through a descriptor opened with `O_CLOEXEC`. A child that another test starts while the
/// script is being written must not inherit a descriptor open for writing, or every exec of the script fails with
/// "Text file busy" for that child's lifetime (an ASan run's rollback check failed so, in both of its suites, after
/// `String.write(toFile:)`, whose descriptor is inherited).
public enum ScriptFile {
    /// Why a script could not be written.
    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `text` to `path` (created or truncated) and sets its mode to `mode` (not reduced by the umask).
    public static func write(_ text: String, to path: String, mode: mode_t = 0o755) throws(WriteError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw WriteError(description: "cannot create \(path): errno \(errno)") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let writeErrno = errno
        close(descriptor)
        guard written == bytes.count else {
            throw WriteError(description: "cannot write \(path): errno \(writeErrno)")
        }
        guard chmod(path, mode) == 0 else { throw WriteError(description: "cannot chmod \(path): errno \(errno)") }
    }
}
