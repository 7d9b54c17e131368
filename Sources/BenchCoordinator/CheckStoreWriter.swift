import BenchCore
import BenchStore
import Dispatch
import Foundation

/// Writes the suite's rows (run begun, outcomes, run completed) in order on a dedicated thread, so an fsync never
/// blocks the cooperative pool; the scheduler acknowledges a check result only after its outcome is written.
final class CheckStoreWriter: Sendable {
    enum Operation: Sendable, Equatable {
        case begin(CheckSuiteRun)
        case record(suiteRunID: String, CheckOutcome)
        case complete(suiteRunID: String)
    }

    let store: BenchStore
    private let queue = DispatchQueue(label: "mmmbench.coordinator.check-store-writer")

    init(store: BenchStore) {
        self.store = store
    }

    /// Applies `operations` in order. Returns, per operation, whether it changed the database (false for an
    /// outcome that was already stored: a resent result).
    func apply(_ operations: [Operation], now: Date) async throws(StoreError) -> [Bool] {
        guard !operations.isEmpty else { return [] }
        let result: Result<[Bool], StoreError> = await withCheckedContinuation { continuation in
            queue.async { [store] in
                continuation.resume(returning: Result { () throws(StoreError) -> [Bool] in
                    var changed: [Bool] = []
                    for operation in operations {
                        switch operation {
                        case .begin(let run):
                            try store.beginSuiteRun(run)
                            changed.append(true)
                        case .record(let id, let outcome):
                            changed.append(try store.recordCheckOutcome(suiteRunID: id, outcome, now: now))
                        case .complete(let id):
                            try store.completeSuiteRun(id: id, now: now)
                            changed.append(true)
                        }
                    }
                    return changed
                })
            }
        }
        return try result.get()
    }
}
