import Foundation

/// A file written in pieces of bytes and put in place atomically, like `Data.write(to:options: .atomic)`: the pieces go
/// to a temporary file next to it, which replaces `path` (rename) only when every piece is written; on failure the
/// temporary file is removed and `path` is untouched. For the reports' exports, written row chunk by row chunk.
struct AtomicTextFile {
    let path: String

    /// Writes what `produce` hands to its `write` argument, in order, then moves it into place.
    func write(_ produce: (([UInt8]) throws -> Void) throws -> Void) throws {
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            do {
                try produce { bytes in try handle.write(contentsOf: bytes) }
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
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
