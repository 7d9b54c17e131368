import BenchStore
import Dispatch
import Foundation

/// The coordinator's one database writer: every write (results, attempts and leases, check-suite rows, agents'
/// trainer states) is part of a scheduler round and commits in that round's single transaction, on one serial
/// thread of its own, so an fsync never blocks Swift's cooperative pool and the scheduler keeps accepting the next
/// round's events while the current one commits (group commit). Nothing is acknowledged before its round returns.
final class StoreWriter: Sendable {
    let store: BenchStore
    let collectionID: String
    let maxAttempts: Int
    /// The writer's thread: one transaction at a time, in the order the rounds were decided.
    private let queue = DispatchQueue(label: "mmmbench.coordinator.store-writer")
    /// Gets each committed transaction's results and duration (`/metrics`).
    let metrics: StatusMetrics?

    init(store: BenchStore, collectionID: String, maxAttempts: Int, metrics: StatusMetrics? = nil) {
        self.store = store
        self.collectionID = collectionID
        self.maxAttempts = maxAttempts
        self.metrics = metrics
    }

    /// Commits `round` in one transaction on the writer's thread and returns the outcome of each item.
    func commit(_ round: CoordinatorRound, now: Date) async throws(StoreError) -> CoordinatorRoundOutcome {
        let result: Result<CoordinatorRoundOutcome, StoreError> = await withCheckedContinuation { continuation in
            queue.async { [store, collectionID, maxAttempts, metrics] in
                let start = ContinuousClock.now
                let result = Result(catching: { () throws(StoreError) -> CoordinatorRoundOutcome in
                    try store.applyCoordinatorRound(collectionID: collectionID, round, maxAttempts: maxAttempts,
                                                    now: now)
                })
                if let metrics, case .success(let outcome) = result {
                    let elapsed = ContinuousClock.now - start
                    metrics.committed(round.scheduling.results, outcomes: outcome.scheduling.results,
                                      seconds: Double(elapsed.components.seconds)
                                          + Double(elapsed.components.attoseconds) / 1e18)
                }
                continuation.resume(returning: result)
            }
        }
        return try result.get()
    }
}
