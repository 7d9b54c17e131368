import BenchCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes a new file in whole blocks of 1 MiB, with `O_DIRECT` where the platform and the file system take it: the
/// bytes go from a few reused buffers to the disk instead of being copied into fresh page-cache pages first.
///
/// For the reports' exports (hundreds of MB at 10^6 results, written once and not read back by this process). On
/// the VMs measured here, copying an export into the page cache cost about 2 ns a byte (pages the hypervisor has to
/// back again after they were freed), a tenth of a report's CPU; written uncached, the same bytes cost a tenth of
/// that (docs/operations.md, "Reports of 10^6 results"). An uncached write waits for the disk, so full blocks are
/// written by a queue of the writer's own while the caller fills the next buffer.
///
/// Where `O_DIRECT` is refused (tmpfs, some network file systems, an unknown architecture), or once a write does
/// not go through whole, the file is written through the page cache as usual; the bytes on disk are the same
/// either way. The last, partial block is always written through the page cache (`O_DIRECT` wants whole blocks).
/// Used by one thread at a time.
final class UncachedFileWriter {
    /// Bytes per write, a multiple of every block size `O_DIRECT` asks for.
    static let blockBytes = 1 << 20
    /// Buffers: one being filled while the others are written.
    static let bufferCount = 3
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
    private let file: BlockFile
    /// Writes the full blocks in order, off the caller's thread.
    private let queue = DispatchQueue(label: "mmmbench.uncached-file-writer")
    /// Buffers free to fill, besides the one being filled; signalled by the queue after each block it wrote.
    private let freeBuffers = DispatchSemaphore(value: bufferCount - 1)
    private let buffers: [UnsafeMutableRawPointer]
    private var current = 0
    private var filled = 0
    private var closed = false

    /// Whether the file is still written with `O_DIRECT` (after every write handed over so far).
    var isDirect: Bool { queue.sync { file.isDirect } }

    /// Creates (or truncates) the file at `path`, with mode 0666 less the umask as `FileManager` does; `direct`
    /// false writes through the page cache from the start.
    init(creating path: String, direct: Bool = true) throws {
        self.path = path
        let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
        var descriptor: Int32 = -1
        if direct, let directFlag = Self.directFlag {
            descriptor = open(path, flags | directFlag, 0o666)
        }
        let isDirect = descriptor >= 0
        if descriptor < 0 { descriptor = open(path, flags, 0o666) }
        guard descriptor >= 0 else { throw BlockFile.error(path, errno) }
        file = BlockFile(descriptor: descriptor, isDirect: isDirect, path: path)
        // 4096-aligned, as `O_DIRECT` wants the buffer's address.
        buffers = (0..<Self.bufferCount).map { _ in
            UnsafeMutableRawPointer.allocate(byteCount: Self.blockBytes, alignment: 4096)
        }
    }

    deinit {
        // Nothing may still be writing from a buffer when it is freed.
        queue.sync { file.closeDescriptor() }
        for buffer in buffers { buffer.deallocate() }
    }

    /// Appends `bytes` to the file (whole blocks are handed to the writing queue as they fill); throws the error of
    /// an earlier block's write, if one failed.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(!closed, "write after close")
        guard var source = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let count = min(remaining, Self.blockBytes - filled)
            (buffers[current] + filled).copyMemory(from: source, byteCount: count)
            filled += count
            source += count
            remaining -= count
            if filled == Self.blockBytes { try handOver() }
        }
    }

    /// Writes the last, partial block once the full ones are written, and closes the file.
    func close() throws {
        precondition(!closed, "closed twice")
        closed = true
        let last = Block(start: buffers[current], count: filled)
        let file = self.file
        try queue.sync {
            try file.failure()
            if last.count > 0 {
                try file.dropDirect()
                try file.writeAll(last)
            }
            try file.close()
        }
    }

    /// Hands the full buffer to the queue and moves on to the next one, once it is free.
    private func handOver() throws {
        let block = Block(start: buffers[current], count: filled)
        let file = self.file
        let freeBuffers = self.freeBuffers
        queue.async {
            file.writeUnlessFailed(block)
            freeBuffers.signal()
        }
        // The queue writes in order, so the buffer freed first is the oldest: the next one round the ring.
        freeBuffers.wait()
        current = (current + 1) % buffers.count
        filled = 0
        try file.failure()
    }
}

/// A run of bytes in one of the writer's buffers, handed to its queue.
private struct Block: @unchecked Sendable {
    // @unchecked: the buffer is not touched by the filling thread until the queue has written it and signalled.
    let start: UnsafeMutableRawPointer
    let count: Int
}

/// The file's descriptor and mode, used on the writer's queue only, and the first failure of a write (also read by
/// the filling thread).
private final class BlockFile: @unchecked Sendable {
    // @unchecked: `descriptor` and `isDirect` are read and written on the writer's serial queue only; the failure
    // is behind a lock.
    private(set) var descriptor: Int32
    private(set) var isDirect: Bool
    let path: String
    private let failed = PThreadLockedValue<CocoaError?>(nil)

    init(descriptor: Int32, isDirect: Bool, path: String) {
        self.descriptor = descriptor
        self.isDirect = isDirect
        self.path = path
    }

    /// Throws the first failure of a write, if there was one.
    func failure() throws {
        if let error = failed.withLock({ $0 }) { throw error }
    }

    /// Writes `block` unless an earlier write failed, keeping the first failure.
    func writeUnlessFailed(_ block: Block) {
        guard failed.withLock({ $0 }) == nil else { return }
        do {
            try writeAll(block)
        } catch {
            failed.withLock { $0 = error }
        }
    }

    /// Writes the whole block, retrying interrupted and partial writes.
    func writeAll(_ block: Block) throws(CocoaError) {
        var written = 0
        while written < block.count {
            let result = Glibc.write(descriptor, block.start + written, block.count - written)
            if result > 0 {
                written += result
                // A partial write leaves the file offset off a block boundary: go on through the page cache.
                if written < block.count { try dropDirect() }
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
    func dropDirect() throws(CocoaError) {
        guard isDirect, let directFlag = UncachedFileWriter.directFlag else { return }
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags & ~directFlag) == 0 else { throw Self.error(path, errno) }
        isDirect = false
    }

    /// Closes the descriptor, reporting a failure of the close itself.
    func close() throws(CocoaError) {
        let descriptor = self.descriptor
        self.descriptor = -1
        guard Glibc.close(descriptor) == 0 else { throw Self.error(path, errno) }
    }

    /// Closes the descriptor if it is still open (a writer dropped without `close()`).
    func closeDescriptor() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }

    static func error(_ path: String, _ code: Int32) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [
            NSFilePathErrorKey: path,
            NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(code)),
        ])
    }
}
