import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes a new file in whole blocks of 1 MiB, with `O_DIRECT` where the platform and the file system take it: the
/// bytes go from one reused buffer to the disk instead of being copied into fresh page-cache pages first.
///
/// For the reports' exports (hundreds of MB at 10^6 results, written once and not read back by this process). On
/// the VMs measured here, copying an export into the page cache cost about 2 ns a byte (pages the hypervisor has to
/// back again after they were freed), a tenth of a report's CPU; written uncached, the same bytes cost a tenth of
/// that (docs/operations.md, "Reports of 10^6 results"). Where `O_DIRECT` is refused (tmpfs, some network file
/// systems, an unknown architecture), or once a write does not go through whole, the file is written through the
/// page cache as usual; the bytes on disk are the same either way. The last, partial block is always written
/// through the page cache (`O_DIRECT` wants whole blocks).
final class UncachedFileWriter {
    /// Bytes per write, a multiple of every block size `O_DIRECT` asks for.
    static let blockBytes = 1 << 20
    /// `O_DIRECT` (glibc's Swift overlay does not import it; its value differs by architecture).
    static var directFlag: Int32? {
        #if arch(x86_64) || arch(i386)
        0o40000
        #elseif arch(arm64) || arch(arm)
        0o200000
        #else
        nil
        #endif
    }

    let path: String
    private var descriptor: Int32
    /// Whether the descriptor is still in `O_DIRECT` mode.
    private(set) var isDirect: Bool
    private let buffer: UnsafeMutableRawPointer
    private var filled = 0

    /// Creates (or truncates) the file at `path`, with mode 0666 less the umask as `FileManager` does; `direct`
    /// false writes through the page cache from the start.
    init(creating path: String, direct: Bool = true) throws {
        self.path = path
        let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
        var descriptor: Int32 = -1
        var direct = direct
        if direct, let directFlag = Self.directFlag {
            descriptor = open(path, flags | directFlag, 0o666)
        }
        direct = direct && descriptor >= 0
        if descriptor < 0 { descriptor = open(path, flags, 0o666) }
        guard descriptor >= 0 else { throw Self.error(path, errno) }
        self.descriptor = descriptor
        isDirect = direct
        // 4096-aligned, as `O_DIRECT` wants the buffer's address.
        buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.blockBytes, alignment: 4096)
    }

    deinit {
        buffer.deallocate()
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    /// Appends `bytes` to the file (whole blocks are written as they fill).
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var source = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let count = min(remaining, Self.blockBytes - filled)
            (buffer + filled).copyMemory(from: source, byteCount: count)
            filled += count
            source += count
            remaining -= count
            if filled == Self.blockBytes {
                try writeAll(filled)
                filled = 0
            }
        }
    }

    /// Writes the last, partial block and closes the file.
    func close() throws {
        if filled > 0 {
            try dropDirect()
            try writeAll(filled)
            filled = 0
        }
        let descriptor = self.descriptor
        self.descriptor = -1
        guard Glibc.close(descriptor) == 0 else { throw Self.error(path, errno) }
    }

    /// Writes the first `count` bytes of the buffer, retrying interrupted and partial writes.
    private func writeAll(_ count: Int) throws {
        var written = 0
        while written < count {
            let result = Glibc.write(descriptor, buffer + written, count - written)
            if result > 0 {
                written += result
                // A partial write leaves the file offset off a block boundary: go on through the page cache.
                if written < count { try dropDirect() }
            } else if result < 0, errno == EINTR {
                continue
            } else if result < 0, errno == EINVAL, isDirect {
                // The file system opened the file with O_DIRECT but refuses the write: write it cached.
                try dropDirect()
            } else {
                throw Self.error(path, result < 0 ? errno : EIO)
            }
        }
    }

    /// Switches the descriptor to ordinary, page-cached writes.
    private func dropDirect() throws {
        guard isDirect, let directFlag = Self.directFlag else { return }
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags & ~directFlag) == 0 else { throw Self.error(path, errno) }
        isDirect = false
    }

    private static func error(_ path: String, _ code: Int32) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [
            NSFilePathErrorKey: path,
            NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(code)),
        ])
    }
}
