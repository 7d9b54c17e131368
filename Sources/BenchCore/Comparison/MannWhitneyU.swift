import Foundation

/// The two-sided Mann-Whitney U test, as `scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")`.
///
/// `statistic` is U of the first sample (U1 = R1 − n1(n1+1)/2 with mid-ranks). The p-value is exact
/// (2 · P(U >= max(U1, U2)), from ``ExactDistribution/mannWhitney(_:_:)``) when at least one sample has 8 or fewer
/// values and there are no ties; otherwise the normal approximation with the tie-corrected variance and a continuity
/// correction of 0.5. A sample whose values are all equal across both sides has no variance: p = 1.
public struct MannWhitneyU: Sendable, Equatable {
    public enum Method: String, Sendable, Codable { case exact, asymptotic }

    public let statistic: Double
    public let pValue: Double
    public let method: Method

    /// Nil when either sample is empty.
    public init?(_ x: [Double], _ y: [Double]) {
        let n1 = x.count
        let n2 = y.count
        guard n1 > 0, n2 > 0 else { return nil }
        let ranking = Ranking(x + y)
        let r1 = ranking.ranks[0..<n1].reduce(0, +)
        let u1 = r1 - Double(n1 * (n1 + 1)) / 2
        let u2 = Double(n1 * n2) - u1
        let u = Swift.max(u1, u2)
        statistic = u1
        if (n1 <= 8 || n2 <= 8) && ranking.tieGroups.isEmpty {
            method = .exact
            let distribution = ExactDistribution.mannWhitney(n1, n2)
            pValue = Swift.min(1, 2 * distribution.survival(Int(u.rounded())))
        } else {
            method = .asymptotic
            let n = Double(n1 + n2)
            let mu = Double(n1 * n2) / 2
            let variance = Double(n1 * n2) / 12 * ((n + 1) - ranking.tieTerm / (n * (n - 1)))
            guard variance > 0 else {
                pValue = 1
                return
            }
            let z = (u - mu - 0.5) / variance.squareRoot()
            pValue = Swift.min(1, Swift.max(0, 2 * NormalDistribution.survival(z)))
        }
    }
}
