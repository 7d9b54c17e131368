import BenchAgent
import BenchCore
import BenchTrainer
import Foundation
import Testing

/// The ways one file can be reached under another name: the single-writer locks must hold across all of them.
enum PathAlias: String, CaseIterable, CustomStringConvertible, Sendable {
    case symlink
    case hardLink
    case dotDot

    var description: String { rawValue }

    /// Makes another path to the existing file `path`, inside `directory`.
    func make(to path: String, in directory: TemporaryDirectory) throws -> String {
        let name = (path as NSString).lastPathComponent
        switch self {
        case .symlink:
            let alias = directory.file("elsewhere-\(name)")
            try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: path)
            return alias
        case .hardLink:
            let alias = directory.file("linked-\(name)")
            try FileManager.default.linkItem(atPath: path, toPath: alias)
            return alias
        case .dotDot:
            let sub = directory.file("sub")
            try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            let parent = (path as NSString).deletingLastPathComponent
            return parent + "/sub/../" + name
        }
    }
}

@Suite("Single-writer locks do not depend on how the path is spelled", .serialized)
struct PathSpellingLockTests {
    @Test("a second agent cannot open an outbox in use through another spelling of its path",
          arguments: PathAlias.allCases)
    func outbox(alias: PathAlias) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("agent.outbox.sqlite")
        let first = try Outbox(path: path)
        let other = try alias.make(to: path, in: directory)
        let error = #expect(throws: OutboxError.self, "\(alias): the second outbox was opened") {
            try Outbox(path: other)
        }
        #expect(error?.code == .locked)
        first.close()
        // Released with its owner: the next agent gets it, under any name.
        try Outbox(path: other).close()
    }

    @Test("a second collect on the same database through another spelling is refused while the first runs",
          arguments: PathAlias.allCases)
    func collector(alias: PathAlias) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("collection.sqlite")
        var faults = TrainerFaults()
        faults.trainHang = true
        let plan = LocalCollectorTests.plan
        try await withTrainer(faults: faults) { url in
            let started = AsyncStream<Void>.makeStream()
            let first = Task {
                // A first collector that fails before its first job ends the wait below instead of hanging it.
                defer { started.continuation.finish() }
                _ = try await LocalCollector(configuration: testCollectionConfiguration(
                    trainerURL: url, databasePath: path, plan: plan)).run { event in
                    if case .started = event { started.continuation.yield() }
                }
            }
            defer { first.cancel() }
            for await _ in started.stream { break }
            let other = try alias.make(to: path, in: directory)
            do {
                _ = try await withDeadline(seconds: 90, "second collector") {
                    try await LocalCollector(configuration: LocalCollectionConfiguration(
                        trainerURL: url, databasePath: other, plan: plan)).run { _ in }
                }
                Issue.record("\(alias): a second collector ran on the database in use")
            } catch {
                #expect("\(error)".contains("another mmmbench process"), "\(alias): \(error)")
            }
            first.cancel()
            _ = try? await first.value
        }
    }
}
