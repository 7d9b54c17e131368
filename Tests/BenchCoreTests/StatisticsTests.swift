import BenchCore
import Testing

@Suite("Statistics")
struct StatisticsTests {
    @Test("mean, sample std (ddof=1), min, max and linear percentiles match numpy/pandas")
    func againstNumpy() throws {
        // Expected values from Python: statistics.mean/stdev and numpy.percentile on the same sample.
        let stats = try #require(SummaryStatistics([1.5, 2.25, 3.0, 10.0, 4.75]))
        #expect(stats.count == 5)
        #expect(abs(stats.mean - 4.3) < 1e-12)
        #expect(abs((stats.standardDeviation ?? 0) - 3.4067946812216316) < 1e-12)
        #expect(stats.min == 1.5)
        #expect(stats.max == 10)
        #expect(abs(stats.sum - 21.5) < 1e-12)
        #expect(abs(stats.p50 - 3.0) < 1e-12)
        #expect(abs(stats.p90 - 7.9) < 1e-12)
        #expect(abs(stats.p95 - 8.95) < 1e-12)
        #expect(abs(stats.p99 - 9.79) < 1e-12)
    }

    @Test("one value has no standard deviation (pandas NaN), an empty sample no statistics")
    func edges() throws {
        let one = try #require(SummaryStatistics([7]))
        #expect(one.standardDeviation == nil)
        #expect(one.p99 == 7)
        #expect(SummaryStatistics([]) == nil)
    }

    @Test("std of identical values is zero and percentiles stay in range")
    func constant() throws {
        let stats = try #require(SummaryStatistics(Array(repeating: 2.5, count: 10)))
        #expect(stats.standardDeviation == 0)
        #expect(stats.p50 == 2.5)
    }
}
