import Foundation

/// A proportion with a confidence interval.
public struct RateInterval: Sendable, Equatable, Codable {
    public let estimate: Double
    public let lower: Double
    public let upper: Double
}

/// Intervals and tests for success rates.
public enum Proportions {
    /// Wilson's score interval for k successes out of n (nil for n = 0); as
    /// `scipy.stats.binomtest(k, n).proportion_ci(confidence, method="wilson")`.
    public static func wilson(successes k: Int, total n: Int, confidence: Double) -> RateInterval? {
        guard n > 0, k >= 0, k <= n else { return nil }
        let z = NormalDistribution.twoSidedCritical(confidence: confidence)
        let p = Double(k) / Double(n)
        let count = Double(n)
        let denominator = 1 + z * z / count
        let centre = (p + z * z / (2 * count)) / denominator
        let half = z * (p * (1 - p) / count + z * z / (4 * count * count)).squareRoot() / denominator
        return RateInterval(estimate: p, lower: Swift.max(0, centre - half), upper: Swift.min(1, centre + half))
    }

    /// Newcombe's hybrid score interval (his method 10, 1998) for the difference p1 − p2 of two independent rates,
    /// built from the two Wilson intervals. Nil when a side has no trials.
    public static func newcombeDifference(successes1: Int, total1: Int, successes2: Int, total2: Int,
                                          confidence: Double) -> RateInterval?
    {
        guard let a = wilson(successes: successes1, total: total1, confidence: confidence),
              let b = wilson(successes: successes2, total: total2, confidence: confidence)
        else { return nil }
        let d = a.estimate - b.estimate
        func square(_ x: Double) -> Double { x * x }
        let lower = d - (square(a.estimate - a.lower) + square(b.upper - b.estimate)).squareRoot()
        let upper = d + (square(a.upper - a.estimate) + square(b.estimate - b.lower)).squareRoot()
        return RateInterval(estimate: d, lower: lower, upper: upper)
    }

    /// Two-sided Fisher exact test of the 2×2 table [[a, b], [c, d]], as `scipy.stats.fisher_exact`: the sum of the
    /// hypergeometric probabilities of every table with the same margins that is no more likely than the observed
    /// one (relative tolerance 1e-7, as R's `fisher.test`). 1 for a table with an empty margin.
    public static func fisherExact(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
        let row1 = a + b
        let row2 = c + d
        let column1 = a + c
        let n = row1 + row2
        guard row1 > 0, row2 > 0, column1 > 0, column1 < n else { return 1 }
        let lowest = Swift.max(0, column1 - row2)
        let highest = Swift.min(row1, column1)
        func logProbability(_ x: Int) -> Double {
            logChoose(row1, x) + logChoose(row2, column1 - x) - logChoose(n, column1)
        }
        let observed = logProbability(a)
        var p = 0.0
        for x in lowest...highest {
            let value = logProbability(x)
            if value <= observed + log1p(1e-7) { p += exp(value) }
        }
        return Swift.min(1, p)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
