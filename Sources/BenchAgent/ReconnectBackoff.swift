/// How long an agent waits before its next connection attempt: exponential backoff with jitter.
///
/// Attempt 0 waits about `initial`; each further attempt multiplies the wait by `multiplier` until `maximum`;
/// every wait is then spread by ±`jitter` (a fraction) so that many agents cut off at once do not reconnect in
/// lockstep. The defaults are the protocol's: 0.5 s doubling to 30 s, ±20 % (so waits lie in 0.4 s ... 36 s).
///
///     attempt:   0      1      2      3      4      5      6      7 ...
///     base:    0.5 s  1 s    2 s    4 s    8 s    16 s   30 s   30 s
///     wait:    base x (1 + uniform(-jitter, +jitter))
public struct ReconnectBackoff: Sendable, Hashable {
    /// The base wait of the first retry.
    public var initial: Duration
    /// Growth factor per attempt (>= 1).
    public var multiplier: Double
    /// The largest base wait (before jitter).
    public var maximum: Duration
    /// Relative spread of each wait, in 0 ... 1 (0.2 = ±20 %).
    public var jitter: Double

    /// Creates a policy; out-of-range values are clamped (multiplier to >= 1, jitter to 0 ... 1, maximum to
    /// >= initial).
    public init(
        initial: Duration = .milliseconds(500),
        multiplier: Double = 2,
        maximum: Duration = .seconds(30),
        jitter: Double = 0.2
    ) {
        self.initial = max(initial, .zero)
        self.multiplier = multiplier.isFinite ? max(1, multiplier) : 1
        self.maximum = max(maximum, self.initial)
        self.jitter = jitter.isFinite ? min(1, max(0, jitter)) : 0
    }

    /// The protocol's defaults: 0.5 s doubling to 30 s, ±20 %.
    public static let standard = ReconnectBackoff()

    /// The wait before retry number `attempt` (0-based) without jitter.
    public func baseDelay(attempt: Int) -> Duration {
        let initialSeconds = Self.seconds(initial)
        let maximumSeconds = Self.seconds(maximum)
        var seconds = initialSeconds
        // Bounded: stops as soon as the cap is reached (at most a few dozen steps for any sane policy).
        var step = 0
        while step < max(0, attempt), seconds < maximumSeconds, multiplier > 1 {
            seconds *= multiplier
            step += 1
        }
        return Self.duration(min(seconds, maximumSeconds))
    }

    /// The wait before retry number `attempt` (0-based): the base wait spread by a uniform factor in
    /// `1 - jitter ... 1 + jitter` drawn from `generator`.
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let base = Self.seconds(baseDelay(attempt: attempt))
        guard jitter > 0 else { return Self.duration(base) }
        let factor = Double.random(in: (1 - jitter)...(1 + jitter), using: &generator)
        return Self.duration(base * factor)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Seconds as a duration, clamped to 0 ... 10^9 s so the conversion never overflows.
    static func duration(_ seconds: Double) -> Duration {
        .nanoseconds(Int64((min(1e9, max(0, seconds)) * 1e9).rounded()))
    }
}
