import BenchCore
import BenchStore
import Foundation
import NIOConcurrencyHelpers

/// A collection's status kept up to date from what `mmmbench collect` itself does (leases and recorded results),
/// so that its progress line does not read the whole status (several aggregate queries) after every job.
///
/// Seeded from one ``BenchStore/status(collectionID:)`` at the start; exact as long as this process is the only
/// writer of the collection, which the single-writer lock (`BenchStore(soleWriterOf:)`) guarantees for `collect`.
final class CollectionProgressCounter: Sendable {
    private let status: NIOLockedValueBox<CollectionStatus>

    /// Starts from `status`, as read from the store.
    init(_ status: CollectionStatus) {
        self.status = NIOLockedValueBox(status)
    }

    /// The current status.
    var current: CollectionStatus { status.withLockedValue { $0 } }

    /// `lease` was assigned at `time` (its attempt row was inserted).
    func leased(_ lease: JobLease, at time: Date) {
        status.withLockedValue { status in
            status.pending -= 1
            status.assigned += 1
            if lease.attempt > 1 {
                let before = (status.attemptsPerJob[lease.attempt - 1] ?? 0) - 1
                status.attemptsPerJob[lease.attempt - 1] = before > 0 ? before : nil
            }
            status.attemptsPerJob[lease.attempt, default: 0] += 1
            status.redispatched = status.attemptsPerJob.filter { $0.key > 1 }.values.reduce(0, +)
            status.agentsSeen[lease.agent, default: 0] += 1
            status.lastActivity = Self.later(status.lastActivity, time)
        }
    }

    /// A result of `metric` was recorded at `time` as `outcome`; returns the status after it.
    func recorded(_ outcome: RecordOutcome, metric: BaselineMetric, at time: Date) -> CollectionStatus {
        status.withLockedValue { status in
            switch outcome {
            case .committed:
                status.assigned -= 1
                status.done += 1
                if !metric.success { status.failedMeasurements += 1 }
                status.lastActivity = Self.later(status.lastActivity, time)
            case .stale:
                status.staleResults += 1
                status.lastActivity = Self.later(status.lastActivity, time)
            case .duplicate, .notYours:
                break
            }
            return status
        }
    }

    /// The later of two times, `b` as the store keeps it (seconds since 1970), so the two compare equal.
    private static func later(_ a: Date?, _ b: Date) -> Date {
        let stored = Date(timeIntervalSince1970: b.timeIntervalSince1970)
        guard let a else { return stored }
        return max(a, stored)
    }
}
