@testable import BenchStore
import Foundation
import Testing

/// The reports' exports go to disk through ``UncachedFileWriter`` (O_DIRECT where the file system takes it, in
/// whole 1 MiB blocks, the last partial block cached) inside ``AtomicTextFile``: whatever the sizes of the pieces
/// and the mode, the file holds exactly the bytes handed over, and a failed write leaves nothing behind.
@Suite("Store: exports written uncached")
struct UncachedFileWriterTests {
    static let block = UncachedFileWriter.blockBytes

    /// Bytes that differ from block to block and within one, so a misplaced or repeated block shows.
    static func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 12) }
    }

    @Test("the file holds exactly the bytes handed over, around every block boundary, direct or cached",
          arguments: [0, 1, 4095, 4096, block - 1, block, block + 1, 3 * block + block / 2],
          [true, false])
    func writesEveryByte(size: Int, direct: Bool) throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/export.json"
        let expected = Self.bytes(size)
        let writer = try UncachedFileWriter(creating: path, direct: direct)
        if !direct { #expect(!writer.isDirect) }
        // Pieces of odd sizes, then the rest in one piece larger than a block.
        var offset = 0
        for piece in [1, 999, 4097, 70_001] where offset < size {
            let end = min(offset + piece, size)
            try expected[offset..<end].withUnsafeBytes { try writer.write($0) }
            offset = end
        }
        try expected[offset...].withUnsafeBytes { try writer.write($0) }
        try writer.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(expected))
    }

    @Test("an atomic export replaces the file only when every piece is written")
    func atomicExport() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/baseline_metrics.csv"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try AtomicTextFile(path: path).write { write in
                try write(Self.bytes(Self.block + 5))
                throw Interrupted()
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["baseline_metrics.csv"])

        let pieces = [Self.bytes(10), Self.bytes(2 * Self.block + 3), Self.bytes(7)]
        try AtomicTextFile(path: path).write { write in
            for piece in pieces { try write(piece) }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(pieces.joined()))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["baseline_metrics.csv"])
    }

    @Test("a write that fails on the writer's queue is the error of a later write or of the close, naming the file",
          .enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func failedWrite() throws {
        // /dev/full refuses every write with ENOSPC, as a full disk does.
        let writer = try UncachedFileWriter(creating: "/dev/full")
        let block = Self.bytes(UncachedFileWriter.blockBytes)
        var failure: (any Error)?
        do {
            for _ in 0..<(UncachedFileWriter.bufferCount + 2) { try block.withUnsafeBytes { try writer.write($0) } }
            try writer.close()
        } catch {
            failure = error
        }
        let error = try #require(failure as? CocoaError)
        #expect(error.userInfo[NSFilePathErrorKey] as? String == "/dev/full")
        #expect((error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ENOSPC))
    }

    @Test("a file that cannot be created is an error naming it")
    func unwritableDirectory() {
        let path = "/nonexistent-mmmbench-\(UUID().uuidString)/export.json"
        #expect {
            _ = try UncachedFileWriter(creating: path)
        } throws: { error in
            (error as? CocoaError)?.userInfo[NSFilePathErrorKey] as? String == path
        }
    }

    static func directory() throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-uncached-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }
}
