/// Exact null distributions of the rank statistics, as counts (Doubles: they exceed 2^64 for large samples).
///
/// - Mann-Whitney U of samples of sizes m and n: the coefficients of the Gaussian binomial
///   `[m+n choose m]_q = Π_{i=1..m} (1 − q^(n+i)) / (1 − q^i)` (Harding 1984), degree m·n.
/// - Wilcoxon signed-rank W+ of n non-zero differences: the coefficients of `Π_{i=1..n} (1 + q^i)`, degree n(n+1)/2.
public struct ExactDistribution: Sendable {
    /// `counts[k]`: number of equally likely outcomes with statistic k.
    public let counts: [Double]
    /// Sum of `counts`.
    public let total: Double

    init(counts: [Double]) {
        self.counts = counts
        total = counts.reduce(0, +)
    }

    /// Distribution of the Mann-Whitney U statistic for sample sizes m and n (no ties).
    public static func mannWhitney(_ m: Int, _ n: Int) -> ExactDistribution {
        let small = min(m, n)
        let large = max(m, n)
        let degree = small * large
        var c = [Double](repeating: 0, count: degree + 1)
        c[0] = 1
        // Divide by every (1 - q^i) first (running sums, truncated at the final degree), then multiply by every
        // (1 - q^(large + i)); truncation commutes with multiplying by a polynomial.
        if small > 0 {
            for i in 1...small where i <= degree {
                for k in i...degree { c[k] += c[k - i] }
            }
            for i in 1...small {
                let shift = large + i
                guard shift <= degree else { continue }
                for k in stride(from: degree, through: shift, by: -1) { c[k] -= c[k - shift] }
            }
        }
        return ExactDistribution(counts: c.map { Swift.max(0, $0.rounded()) })
    }

    /// Distribution of the Wilcoxon signed-rank statistic W+ for n non-zero differences (no ties).
    public static func signedRank(_ n: Int) -> ExactDistribution {
        let degree = n * (n + 1) / 2
        var c = [Double](repeating: 0, count: degree + 1)
        c[0] = 1
        var reached = 0
        if n > 0 {
            for i in 1...n {
                reached += i
                for k in stride(from: reached, through: i, by: -1) { c[k] += c[k - i] }
            }
        }
        return ExactDistribution(counts: c)
    }

    /// P(X <= k).
    public func cdf(_ k: Int) -> Double {
        guard k >= 0 else { return 0 }
        guard k < counts.count else { return 1 }
        return counts[0...k].reduce(0, +) / total
    }

    /// P(X >= k).
    public func survival(_ k: Int) -> Double {
        guard k < counts.count else { return 0 }
        guard k > 0 else { return 1 }
        return counts[k...].reduce(0, +) / total
    }

    /// R's `qwilcox`/`qsignrank`: the smallest k with P(X <= k) >= p.
    public func quantile(_ p: Double) -> Int {
        var cumulative = 0.0
        for (k, count) in counts.enumerated() {
            cumulative += count
            if cumulative / total >= p - 10 * Double.ulpOfOne { return k }  // R's fuzz
        }
        return counts.count - 1
    }
}
