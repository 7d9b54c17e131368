import Foundation

/// A file written in pieces of bytes and put in place atomically, like `Data.write(to:options: .atomic)`: the pieces go
/// to a temporary file next to it, which replaces `path` (rename) only when every piece is written; on failure the
/// temporary file is removed and `path` is untouched. For the reports' exports, written row chunk by row chunk.
struct AtomicTextFile {
    let path: String

    /// Writes what `produce` hands to its `write` argument, in order, then moves it into place.
    func write(_ produce: (([UInt8]) throws -> Void) throws -> Void) throws {
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            // Uncached where the file system allows it: an export of 10^6 rows is hundreds of MB written once.
            let file = try UncachedFileWriter(creating: temporary)
            try produce { bytes in try bytes.withUnsafeBytes { try file.write($0) } }
            try file.close()
            if rename(temporary, path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [
                    NSFilePathErrorKey: path,
                    NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(errno)),
                ])
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}
