import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes PEM files for the certificate helpers: all-or-nothing refusal to overwrite, explicit modes
/// (0600 for keys, independent of the umask), and write-to-temporary-then-rename so a crash never leaves a
/// half-written key behind.
enum PEMFileWriter {
    /// One file to write.
    struct File {
        let path: String
        let contents: String
        let mode: mode_t
    }

    /// Mode of private key files.
    static let privateKeyMode: mode_t = 0o600
    /// Mode of certificate files.
    static let certificateMode: mode_t = 0o644

    /// Creates `directory` (and parents) when missing.
    static func ensureDirectory(_ directory: String, operation: String) throws(TLSError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw TLSError(.fileWriteFailed, operation: operation, file: directory, reason: "not a directory")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TLSError(.fileWriteFailed, operation: operation, file: directory,
                           reason: "cannot create directory: \(error.localizedDescription)")
        }
    }

    /// Writes all files, or none when one exists and `force` is false.
    static func write(_ files: [File], force: Bool, operation: String) throws(TLSError) {
        if !force {
            for file in files where FileManager.default.fileExists(atPath: file.path) {
                throw TLSError(.fileExists, operation: operation, file: file.path,
                               reason: "file exists (use --force to overwrite)")
            }
        }
        for file in files {
            try writeOne(file, operation: operation)
        }
    }

    private static func writeOne(_ file: File, operation: String) throws(TLSError) {
        let temporary = "\(file.path).tmp-\(getpid())"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, file.mode)
        guard descriptor >= 0 else { throw systemError(operation, file.path, "cannot create file", errno) }
        var failure: (what: String, code: Int32)?
        if fchmod(descriptor, file.mode) != 0 {
            failure = ("cannot set mode", errno)
        } else if let code = writeAll(Array(file.contents.utf8), to: descriptor) {
            failure = ("write failed", code)
        } else if fsync(descriptor) != 0 {
            failure = ("fsync failed", errno)
        }
        if close(descriptor) != 0, failure == nil {
            failure = ("close failed", errno)
        }
        if failure == nil, rename(temporary, file.path) != 0 {
            failure = ("cannot move file into place", errno)
        }
        if let failure {
            unlink(temporary)
            throw systemError(operation, file.path, failure.what, failure.code)
        }
    }

    /// Writes every byte, retrying on EINTR; returns the errno of a failure.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { return result < 0 ? errno : EIO }
            written += result
        }
        return nil
    }

    private static func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    private static func systemError(_ operation: String, _ path: String, _ what: String, _ code: Int32) -> TLSError {
        let text = String(cString: strerror(code))
        return TLSError(.fileWriteFailed, operation: operation, file: path, reason: "\(what): \(text)")
    }
}
