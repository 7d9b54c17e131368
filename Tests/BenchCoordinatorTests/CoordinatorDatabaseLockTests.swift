@testable import BenchCoordinator
import BenchCore
import Foundation
import Testing

/// The ways one database file can be reached under another name.
enum DatabaseAlias: String, CaseIterable, CustomStringConvertible, Sendable {
    case symlink
    case hardLink
    case dotDot

    var description: String { rawValue }

    /// Another path to the existing file `path` (in a subdirectory `alias` of its directory, created here).
    func make(to path: String) throws -> String {
        let parent = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let sub = parent + "/alias-\(rawValue)"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        switch self {
        case .symlink:
            try FileManager.default.createSymbolicLink(atPath: sub + "/" + name, withDestinationPath: path)
            return sub + "/" + name
        case .hardLink:
            try FileManager.default.linkItem(atPath: path, toPath: sub + "/" + name)
            return sub + "/" + name
        case .dotDot:
            return sub + "/../" + name
        }
    }
}

@Suite("A second coordinator is refused on the database in use, however its path is spelled")
struct CoordinatorDatabaseLockTests {
    @Test("symlink, hard link and '..' spellings of the running coordinator's database are refused",
          arguments: DatabaseAlias.allCases)
    func secondCoordinatorRefused(alias: DatabaseAlias) async throws {
        let harness = try await CoordinatorHarness(plan: Plan(days: 1))
        defer { harness.task.cancel() }
        var configuration = harness.configuration
        configuration.databasePath = try alias.make(to: harness.databasePath)
        let second = Coordinator(configuration: configuration, logger: harness.logs.logger())
        do {
            _ = try await withDeadline(seconds: 15) { try await second.run() }
            Issue.record("\(alias): a second coordinator ran on the database in use")
        } catch let error as CoordinatorError {
            #expect(error.kind == .databaseLocked, "\(alias): \(error)")
            #expect(error.reason.contains("another mmmbench"), "\(alias): \(error)")
        } catch {
            Issue.record("\(alias): the second coordinator was not refused: \(error)")
        }
        harness.task.cancel()
        _ = try? await harness.task.value
    }
}
