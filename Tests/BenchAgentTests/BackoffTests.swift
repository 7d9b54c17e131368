import BenchAgent
import Testing

/// A seeded generator (SplitMix64), so jitter draws are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Reconnect backoff")
struct BackoffTests {
    @Test("the base wait starts at 0.5 s, doubles, and stops at 30 s")
    func schedule() {
        let backoff = ReconnectBackoff.standard
        let bases = (0..<9).map { backoff.baseDelay(attempt: $0) }
        #expect(bases == [
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30),
            .seconds(30), .seconds(30),
        ])
        #expect(backoff.baseDelay(attempt: 10_000) == .seconds(30))
    }

    @Test("every wait lies within ±20 % of its base, and the draws use the whole band")
    func jitterBounds() {
        let backoff = ReconnectBackoff.standard
        var generator = SplitMix64(state: 42)
        for attempt in 0..<10 {
            let base = backoff.baseDelay(attempt: attempt)
            var smallest = base * 2
            var largest = Duration.zero
            for _ in 0..<500 {
                let wait = backoff.delay(attempt: attempt, using: &generator)
                #expect(wait >= base * 0.8 - .nanoseconds(1) && wait <= base * 1.2 + .nanoseconds(1))
                smallest = min(smallest, wait)
                largest = max(largest, wait)
            }
            // 500 uniform draws cover most of the band: the spread is real, not a constant factor.
            #expect(smallest < base * 0.85)
            #expect(largest > base * 1.15)
        }
    }

    @Test("the same seed gives the same waits; no jitter gives exactly the base")
    func deterministic() {
        let backoff = ReconnectBackoff(initial: .milliseconds(20), multiplier: 3, maximum: .seconds(1), jitter: 0.2)
        var one = SplitMix64(state: 7)
        var two = SplitMix64(state: 7)
        var first: [Duration] = []
        var second: [Duration] = []
        for attempt in 0..<6 {
            first.append(backoff.delay(attempt: attempt, using: &one))
            second.append(backoff.delay(attempt: attempt, using: &two))
        }
        #expect(first == second)
        let exact = ReconnectBackoff(initial: .milliseconds(20), multiplier: 3, maximum: .seconds(1), jitter: 0)
        var generator = SplitMix64(state: 1)
        var waits: [Duration] = []
        for attempt in 0..<6 { waits.append(exact.delay(attempt: attempt, using: &generator)) }
        #expect(waits == [
            .milliseconds(20), .milliseconds(60), .milliseconds(180), .milliseconds(540), .seconds(1), .seconds(1),
        ])
    }

    @Test("out-of-range settings are clamped instead of trapping")
    func clamped() {
        let backoff = ReconnectBackoff(initial: .seconds(-1), multiplier: .nan, maximum: .zero, jitter: 7)
        var generator = SplitMix64(state: 3)
        let wait = backoff.delay(attempt: 3, using: &generator)
        #expect(wait == .zero)
        #expect(backoff.jitter == 1)
        #expect(backoff.multiplier == 1)
    }
}
