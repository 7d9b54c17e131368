import BenchStore
import Dispatch
import Foundation

/// Runs the scheduler's transactions on a dedicated thread, so that an fsync never blocks the cooperative pool and
/// the scheduler keeps accepting the next batch while the current one commits (group commit).
final class StoreWriter: Sendable {
    let store: BenchStore
    let collectionID: String
    let maxAttempts: Int
    let queue = DispatchQueue(label: "mmmbench.coordinator.store-writer")
    /// Gets each committed transaction's results and duration (`/metrics`).
    let metrics: StatusMetrics?

    init(store: BenchStore, collectionID: String, maxAttempts: Int, metrics: StatusMetrics? = nil) {
        self.store = store
        self.collectionID = collectionID
        self.maxAttempts = maxAttempts
        self.metrics = metrics
    }

    /// Commits `batch` in one transaction and returns the outcome of each item.
    func apply(_ batch: SchedulingBatch, now: Date) async throws(StoreError) -> SchedulingBatchOutcome {
        let result: Result<SchedulingBatchOutcome, StoreError> = await withCheckedContinuation { continuation in
            queue.async { [store, collectionID, maxAttempts, metrics] in
                let start = ContinuousClock.now
                let result = Result(catching: { () throws(StoreError) -> SchedulingBatchOutcome in
                    try store.applySchedulingBatch(collectionID: collectionID, batch, maxAttempts: maxAttempts,
                                                   now: now)
                })
                if let metrics, case .success(let outcome) = result {
                    let elapsed = ContinuousClock.now - start
                    metrics.committed(batch.results, outcomes: outcome.results,
                                      seconds: Double(elapsed.components.seconds)
                                          + Double(elapsed.components.attoseconds) / 1e18)
                }
                continuation.resume(returning: result)
            }
        }
        return try result.get()
    }
}
