import Foundation

/// A mean with a large-sample confidence interval (mean ± z·s/√n); no interval for fewer than two values.
public struct MeanInterval: Sendable, Equatable, Codable {
    public let mean: Double
    public let lower: Double?
    public let upper: Double?

    /// Nil for an empty sample.
    public init?(_ values: [Double], confidence: Double) {
        guard !values.isEmpty else { return nil }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        self.mean = mean
        guard values.count > 1 else {
            lower = nil
            upper = nil
            return
        }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let half = NormalDistribution.twoSidedCritical(confidence: confidence) * (variance / n).squareRoot()
        lower = mean - half
        upper = mean + half
    }
}

/// The ratio candidate / baseline of two means (cost per job, CPU hours per job) with a confidence interval.
public struct RatioEstimate: Sendable, Equatable, Codable {
    public let ratio: Double
    public let lower: Double
    public let upper: Double

    /// Independent samples: the delta method on the log of the ratio of means,
    /// se² = s_c²/(n_c·c̄²) + s_b²/(n_b·b̄²), interval R·exp(±z·se). Nil with fewer than two values on a side or a
    /// mean that is not positive.
    public static func independent(baseline: [Double], candidate: [Double], confidence: Double) -> RatioEstimate? {
        guard baseline.count > 1, candidate.count > 1 else { return nil }
        let (mb, vb) = meanAndVariance(baseline)
        let (mc, vc) = meanAndVariance(candidate)
        guard mb > 0, mc > 0 else { return nil }
        let se = (vc / (Double(candidate.count) * mc * mc) + vb / (Double(baseline.count) * mb * mb)).squareRoot()
        let z = NormalDistribution.twoSidedCritical(confidence: confidence)
        let ratio = mc / mb
        return RatioEstimate(ratio: ratio, lower: ratio * exp(-z * se), upper: ratio * exp(z * se))
    }

    /// Paired values (the same jobs on both sides): the ratio of sums R = Σc/Σb with the ratio estimator's variance
    /// (Cochran), Var(R) = Σ(c_i − R·b_i)² / (n(n−1)·b̄²), interval R ± z·√Var. Nil with fewer than two pairs or a
    /// baseline sum that is not positive.
    public static func paired(baseline: [Double], candidate: [Double], confidence: Double) -> RatioEstimate? {
        let n = baseline.count
        guard n > 1, candidate.count == n else { return nil }
        let sumB = baseline.reduce(0, +)
        guard sumB > 0 else { return nil }
        let ratio = candidate.reduce(0, +) / sumB
        let meanB = sumB / Double(n)
        let residuals = zip(baseline, candidate).reduce(0.0) { $0 + ($1.1 - ratio * $1.0) * ($1.1 - ratio * $1.0) }
        let se = (residuals / (Double(n) * Double(n - 1) * meanB * meanB)).squareRoot()
        let z = NormalDistribution.twoSidedCritical(confidence: confidence)
        return RatioEstimate(ratio: ratio, lower: ratio - z * se, upper: ratio + z * se)
    }

    static func meanAndVariance(_ values: [Double]) -> (Double, Double) {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        return (mean, values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1))
    }
}
