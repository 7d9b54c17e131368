@testable import BenchCoordinator
import BenchCore
import BenchTLS
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
            _ = try await withDeadline(seconds: 90) { try await second.run() }
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

@Suite("A coordinator refuses a certificate it cannot serve with, before touching the database")
struct CoordinatorCertificatePurposeTests {
    @Test("an agent certificate (clientAuth only) stops the coordinator with the file and the purpose named")
    func agentCertificateRefused() async throws {
        let certificates = try TestCertificates()
        let database = certificates.file("never.sqlite")
        let configuration = CoordinatorConfiguration(
            host: "127.0.0.1", port: 0, databasePath: database, plan: Plan(days: 1),
            tls: TLSConfiguration(certificateChainPath: certificates.file("agent-1.pem"),
                                  privateKeyPath: certificates.file("agent-1-key.pem"),
                                  trustRootsPath: certificates.authority.certificatePath))
        let coordinator = Coordinator(configuration: configuration, logger: LogCapture().logger())
        do {
            _ = try await withDeadline(seconds: 90) { try await coordinator.run() }
            Issue.record("the coordinator started with an agent certificate")
        } catch let error as TLSError {
            #expect(error.code == .wrongPurpose)
            #expect(error.file == certificates.file("agent-1.pem"))
            #expect(error.description.contains("serverAuth"))
        }
        #expect(!FileManager.default.fileExists(atPath: database), "the database was created")
    }
}
