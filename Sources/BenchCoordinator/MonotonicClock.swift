/// Monotonic time as the coordinator's connections see it: heartbeat silence and heartbeat pacing read
/// ``now()`` and wait with ``sleep(until:)``.
///
/// Monotonic (not the wall clock of ``CoordinatorClock``) because silence is a duration between two moments of this
/// process: a wall-clock step (NTP, an operator setting the date) must neither close every connection nor keep a
/// silent one open. Any `Clock` with `Duration` steps fits: `ContinuousClock` in production, a test clock in tests
/// (advanced instead of sleeping).
public struct MonotonicClock: Sendable {
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// Reads `clock`, counting from now.
    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleeper = { offset in try await clock.sleep(until: origin.advanced(by: offset), tolerance: nil) }
    }

    /// The system's monotonic clock (`ContinuousClock`: keeps counting while the machine sleeps).
    public static var continuous: MonotonicClock { MonotonicClock(ContinuousClock()) }

    /// Time since this clock was made.
    public func now() -> Duration { elapsed() }

    /// Returns at `deadline` (a ``now()`` value; at once if it has passed); throws `CancellationError` if the task
    /// is cancelled.
    public func sleep(until deadline: Duration) async throws {
        try await sleeper(deadline)
    }
}
