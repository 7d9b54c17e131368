import Foundation

/// Wall-clock time as the coordinator sees it: leases, pacing, hello deadlines and heartbeats read ``now()`` and
/// wait with ``sleep(until:)``.
///
/// Wall time (not a monotonic clock) because leases and day gaps are stored in the database and must mean the same
/// after a restart. Tests inject a manual clock and advance it instead of sleeping.
public protocol CoordinatorClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Returns at `deadline` (at once if it has passed); throws `CancellationError` if the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The system's wall clock.
public struct SystemCoordinatorClock: CoordinatorClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: .nanoseconds(Int64((seconds * 1e9).rounded(.up))))
    }
}
