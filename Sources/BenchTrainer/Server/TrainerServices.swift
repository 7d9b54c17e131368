import Foundation
import Logging
import Synchronization

/// The state every endpoint shares: configuration, fit executor, dataset cache, warm flags, usage sampler,
/// request log and the counters that drive fault injection.
final class TrainerServices: Sendable {
    let configuration: TrainerConfiguration
    let logger: Logger
    let executor: FitExecutor
    let datasets = DatasetCache()
    let warm = WarmStatus()
    let usage = UsageSampler()
    let requestLog: RequestLog?
    let startedAt = ContinuousClock.now

    /// Valid `/train` requests so far (drives `trainFailureEveryNth`).
    let trainRequests = Atomic<Int>(0)
    /// `/api/load-test` requests so far (drives `loadTestFailing`).
    let loadTestRequests = Atomic<Int>(0)

    init(configuration: TrainerConfiguration, logger: Logger) throws(TrainerError) {
        self.configuration = configuration
        self.logger = logger
        self.executor = FitExecutor(threads: configuration.fitThreads)
        self.requestLog = try configuration.requestLogPath.map { path throws(TrainerError) in
            try RequestLog(path: path)
        }
    }

    /// Search settings from the configuration.
    var searchSettings: SearchSettings {
        SearchSettings(
            workScale: configuration.workScale,
            bootstrapResamples: max(0, configuration.bootstrapResamples)
        )
    }

    /// A small real fit for the test endpoints: one trial of `20 × workScale` candidates (at least 1) on a cached
    /// default-country dataset.
    func smallFit(country: String) async throws -> FitExecutor.Measured<FitOutcome> {
        let datasets = self.datasets
        let settings = searchSettings
        return try await executor.run { shouldStop in
            let dataset = datasets.dataset(country: country, variables: .seedDefault)
            return try MMMFitter.fit(
                dataset: dataset, iterations: 20, trials: 1, settings: settings, shouldStop: shouldStop)
        }
    }
}
