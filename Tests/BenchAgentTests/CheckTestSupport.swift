import AsyncHTTPClient
import BenchAgent
import BenchCore
import Foundation
import TestSupport
import TestTiming

/// Runs `body`, then shuts `http` down, whether `body` returned or threw.
func shuttingDown<T: Sendable>(_ http: HTTPClient, _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        try await http.shutdown()
        return result
    } catch {
        try await http.shutdown()
        throw error
    }
}

/// Runs `body` with a check runner for `url` (``CheckRunner/makeHTTPClient(for:connectTimeoutSeconds:)``), then
/// shuts the client down. The default connect timeout is the product's 5 s scaled by `TestTiming`.
func withCheckRunner<T: Sendable>(
    url: String, settings: CheckSettings = CheckSettings(), agent: String? = nil,
    connectTimeoutSeconds: Double = TestTiming.seconds(5),
    _ body: @Sendable (CheckRunner) async throws -> T
) async throws -> T {
    let http = CheckRunner.makeHTTPClient(for: settings, connectTimeoutSeconds: connectTimeoutSeconds)
    let client = TrainerClient(baseURL: url, http: http,
                               connectTimeoutSeconds: Int(connectTimeoutSeconds.rounded(.up)))  // for its messages
    let runner = CheckRunner(client: client, settings: settings, agent: agent)
    return try await shuttingDown(http) { try await body(runner) }
}

/// A temporary directory for rollback scripts, removed when released.
final class ScriptDirectory: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("checks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes a shell script and returns its absolute path; `executable: false` leaves it mode 0644. Written through
    /// `ScriptFile`, so a parallel test's child never holds it open for writing ("Text file busy" on exec).
    func script(_ name: String, _ body: String, executable: Bool = true) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try ScriptFile.write("#!/bin/sh\n" + body + "\n", to: file, mode: executable ? 0o755 : 0o644)
        return file
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

extension CheckOutcome {
    /// The measurement named `name`.
    func measurement(_ name: String) -> CheckMeasurement? { measurements.first { $0.name == name } }
}

extension TestSuiteReport {
    func outcome(_ kind: CheckKind) -> CheckOutcome? { outcomes.first { $0.check == kind } }
}

extension CheckSettings {
    /// These settings with every check's request timeout, and the data-processing check's 10 s bound, scaled by
    /// `TestTiming` (unchanged outside the sanitizer runs): bounds on this machine's speed, not what a test asserts.
    func scaledByTestTiming() -> CheckSettings {
        var settings = self
        func scale(_ value: inout Double) { value = TestTiming.seconds(value) }
        scale(&settings.health.timeoutSeconds)
        scale(&settings.resourceAllocation.timeoutSeconds)
        scale(&settings.containerWarming.timeoutSeconds)
        scale(&settings.dataProcessing.timeoutSeconds)
        scale(&settings.dataProcessing.maxSeconds)
        scale(&settings.parallelProcessing.timeoutSeconds)
        scale(&settings.performanceBenchmark.timeoutSeconds)
        scale(&settings.errorHandling.timeoutSeconds)
        scale(&settings.errorHandling.healthTimeoutSeconds)
        scale(&settings.costEfficiency.timeoutSeconds)
        scale(&settings.loadHandling.timeoutSeconds)
        scale(&settings.rollback.timeoutSeconds)
        return settings
    }
}
