import BenchCore
import Foundation

extension CheckRunner {
    /// Runs one `check` task on this host with its own HTTP client (sized for the check, shut down afterwards): how
    /// a coordinator runs the rollback check itself. `trainerURL` may be empty for the rollback check, which calls
    /// no trainer; `host` is recorded as the outcome's agent. Throws only cancellation.
    public static func runLocally(
        _ task: CheckTask, trainerURL: String = "", host: String?,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) async throws -> CheckOutcome {
        let http = makeHTTPClient(for: task.settings)
        let runner = CheckRunner(client: TrainerClient(baseURL: trainerURL, http: http), settings: task.settings,
                                 agent: host, workingDirectory: workingDirectory)
        do {
            let outcome = try await runner.run(task)
            try? await http.shutdown()
            return outcome
        } catch {
            try? await http.shutdown()
            throw error
        }
    }
}
