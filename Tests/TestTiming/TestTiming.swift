import Foundation

/// How much longer the tests wait when the code under test runs slower than usual: under ThreadSanitizer or
/// AddressSanitizer every instruction costs 5-20x, children included.
///
/// The one place where test waits and test-side timeouts become sanitizer-aware: `scripts/nightly` sets
/// `MMMBENCH_TEST_TIME_SCALE` for its `tsan` and `asan` parts; unset (every other run) the scale is 1. Only bounds
/// are scaled (how long a wait may last, a TLS handshake or a hello may take on the test's side, a test's time
/// limit), never what a test asserts: a wait still ends as soon as its condition holds.
public enum TestTiming {
    /// `MMMBENCH_TEST_TIME_SCALE` as a number >= 1; 1 when unset or not such a number.
    public static let scale: Double = {
        guard let text = ProcessInfo.processInfo.environment["MMMBENCH_TEST_TIME_SCALE"],
              let value = Double(text), value.isFinite, value >= 1 else { return 1 }
        return value
    }()

    /// `seconds` scaled.
    public static func seconds(_ seconds: Double) -> Double { seconds * scale }

    /// `duration` scaled.
    public static func scaled(_ duration: Duration) -> Duration { duration * scale }

    /// `minutes` scaled and rounded up, for `.timeLimit(.minutes(...))`.
    public static func minutes(_ minutes: Int) -> Int { Int((Double(minutes) * scale).rounded(.up)) }

    /// `milliseconds` scaled, for NIO `TimeAmount`s such as a TLS handshake timeout.
    public static func milliseconds(_ milliseconds: Int64) -> Int64 { Int64((Double(milliseconds) * scale).rounded()) }
}
