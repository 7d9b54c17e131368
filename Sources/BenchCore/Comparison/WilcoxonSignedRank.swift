import Foundation

/// The two-sided Wilcoxon signed-rank test of paired differences, as
/// `scipy.stats.wilcoxon(d, zero_method="wilcox", correction=False, alternative="two-sided", method="auto")`.
///
/// Zeros are dropped (Wilcoxon's rule); ties among |d| get mid-ranks. `statistic` is min(W+, W−). Method, as SciPy
/// chooses it from the number of differences n (zeros included) and the data:
/// - n > 50: normal approximation (tie-corrected variance, no continuity correction);
/// - n <= 50 without zeros or ties: exact (2 · min(P(W+ >= ⌊w⌋), P(W+ <= ⌈w⌉)));
/// - n <= 13 with zeros or ties: the exact permutation distribution (all 2^k sign flips of the non-zero values);
/// - otherwise: the normal approximation.
/// All differences zero (or none): p = 1.
public struct WilcoxonSignedRank: Sendable, Equatable {
    public enum Method: String, Sendable, Codable { case exact, permutation, asymptotic }

    public let statistic: Double
    public let pValue: Double
    public let method: Method

    /// Nil for no differences.
    public init?(_ differences: [Double]) {
        guard !differences.isEmpty else { return nil }
        let n = differences.count
        let nonZero = differences.filter { $0 != 0 }
        let hasZeros = nonZero.count < n
        let ranking = Ranking(nonZero.map { abs($0) })
        let plus = zip(nonZero, ranking.ranks).reduce(0.0) { $0 + ($1.0 > 0 ? $1.1 : 0) }
        let count = Double(nonZero.count)
        let total = count * (count + 1) / 2
        statistic = Swift.min(plus, total - plus)
        guard !nonZero.isEmpty else {
            pValue = 1
            method = .asymptotic
            return
        }
        let tied = !ranking.tieGroups.isEmpty
        if n <= 50 && !tied && !hasZeros {
            method = .exact
            let distribution = ExactDistribution.signedRank(nonZero.count)
            let upper = distribution.survival(Int(plus.rounded(.down)))
            let lower = distribution.cdf(Int(plus.rounded(.up)))
            pValue = Swift.min(1, 2 * Swift.min(upper, lower))
        } else if n <= 13 {
            method = .permutation
            pValue = Self.permutationPValue(ranks: ranking.ranks, observed: plus)
        } else {
            method = .asymptotic
            let variance = (count * (count + 1) * (2 * count + 1) - ranking.tieTerm / 2) / 24
            guard variance > 0 else {
                pValue = 1
                return
            }
            let z = (plus - total / 2) / variance.squareRoot()
            pValue = Swift.min(1, 2 * NormalDistribution.survival(abs(z)))
        }
    }

    /// Two-sided p-value over every assignment of signs to the ranks (at most 2^13 of them).
    static func permutationPValue(ranks: [Double], observed: Double) -> Double {
        let k = ranks.count
        let assignments = 1 << k
        var atLeast = 0
        var atMost = 0
        let tolerance = 1e-12 * Swift.max(1, abs(observed))
        for mask in 0..<assignments {
            var sum = 0.0
            for bit in 0..<k where mask & (1 << bit) != 0 { sum += ranks[bit] }
            if sum >= observed - tolerance { atLeast += 1 }
            if sum <= observed + tolerance { atMost += 1 }
        }
        let p = 2 * Double(Swift.min(atLeast, atMost)) / Double(assignments)
        return Swift.min(1, p)
    }
}
