import Foundation

/// Judges the targets on the overall row and finds significant regressions in any row.
///
/// A target passes when its whole interval clears it, fails when its whole interval misses it, and is inconclusive
/// otherwise. For an inconclusive target, the number of further jobs assumes the estimate stays where it is and
/// the interval narrows as 1/√n: with h the half-width on the side facing the target and g the distance from the
/// estimate to the target, n' = n·(h/g)², so ⌈n·((h/g)² − 1)⌉ more jobs (per side, or pairs). Durations are
/// measured in log space, where their interval is symmetric-ish; the success rate instead searches the smallest n'
/// whose Wilson bound at the same rate clears the target. No estimate when the estimate sits on the target.
struct TargetJudge {
    let targets: ComparisonTargets
    let confidence: Double

    func judge(_ overall: ComparisonRow?) -> [TargetJudgement] {
        var judgements: [TargetJudgement] = []
        if let threshold = targets.durationChangePercent {
            judgements.append(duration(threshold, overall))
        }
        if let threshold = targets.minSuccessRatePercent {
            judgements.append(success(threshold, overall))
        }
        if let threshold = targets.costChangePercent {
            judgements.append(cost(threshold, overall))
        }
        return judgements
    }

    func regressions(_ rows: [ComparisonRow]) -> [String] {
        let alpha = 1 - confidence
        var found: [String] = []
        for row in rows {
            if let d = row.duration, (row.scope == .overall ? d.pValue : d.pHolm) < alpha, d.changePercent > 0 {
                let p = row.scope == .overall ? d.pValue : d.pHolm
                found.append("duration of \(row.label) is significantly longer: "
                    + "\(Format.signedPercent(d.changePercent)) [\(Format.signedPercent(d.lowerPercent)), "
                    + "\(Format.signedPercent(d.upperPercent))], p = \(Format.pValue(p))")
            }
            if let s = row.success, (row.scope == .overall ? s.pValue : s.pHolm) < alpha, s.differencePoints < 0 {
                found.append("success rate of \(row.label) is significantly lower: "
                    + "\(Format.signedPoints(s.differencePoints)) [\(Format.signedPoints(s.lowerPoints)), "
                    + "\(Format.signedPoints(s.upperPoints))], Fisher p = "
                    + Format.pValue(row.scope == .overall ? s.pValue : s.pHolm))
            }
        }
        return found
    }

    private func duration(_ threshold: Double, _ row: ComparisonRow?) -> TargetJudgement {
        guard let d = row?.duration else {
            return TargetJudgement(name: .duration, threshold: threshold, outcome: .inconclusive, furtherJobs: nil,
                                   explanation: "no successful measurement on both sides to compare durations")
        }
        let outcome = Self.outcomeAtMost(threshold, lower: d.lowerPercent, upper: d.upperPercent)
        let logRatio: (Double) -> Double = { log(1 + $0 / 100) }
        let further = outcome == .inconclusive
            ? Self.furtherJobs(n: d.sampleSize, estimate: logRatio(d.changePercent), lower: logRatio(d.lowerPercent),
                               upper: logRatio(d.upperPercent), target: logRatio(threshold))
            : nil
        return TargetJudgement(
            name: .duration, threshold: threshold, estimate: d.changePercent, lower: d.lowerPercent,
            upper: d.upperPercent, outcome: outcome, furtherJobs: further,
            explanation: "duration change \(Format.signedPercent(d.changePercent)) "
                + "[\(Format.signedPercent(d.lowerPercent)), \(Format.signedPercent(d.upperPercent))] "
                + "against a target of \(Format.signedPercent(threshold)) or lower")
    }

    private func cost(_ threshold: Double, _ row: ComparisonRow?) -> TargetJudgement {
        guard let c = row?.costPerJob else {
            return TargetJudgement(name: .cost, threshold: threshold, outcome: .inconclusive, furtherJobs: nil,
                                   explanation: "cost per job not comparable (fewer than two successful jobs, "
                                    + "or a baseline cost of zero)")
        }
        let outcome = Self.outcomeAtMost(threshold, lower: c.lowerPercent, upper: c.upperPercent)
        let n = row.map { Swift.min($0.baseline.successful, $0.candidate.successful) } ?? 0
        let further = outcome == .inconclusive
            ? Self.furtherJobs(n: n, estimate: c.changePercent, lower: c.lowerPercent, upper: c.upperPercent,
                               target: threshold)
            : nil
        return TargetJudgement(
            name: .cost, threshold: threshold, estimate: c.changePercent, lower: c.lowerPercent,
            upper: c.upperPercent, outcome: outcome, furtherJobs: further,
            explanation: "cost per job change \(Format.signedPercent(c.changePercent)) "
                + "[\(Format.signedPercent(c.lowerPercent)), \(Format.signedPercent(c.upperPercent))] "
                + "against a target of \(Format.signedPercent(threshold)) or lower")
    }

    private func success(_ threshold: Double, _ row: ComparisonRow?) -> TargetJudgement {
        guard let row, let rate = row.candidate.successRate else {
            return TargetJudgement(name: .success, threshold: threshold, outcome: .inconclusive, furtherJobs: nil,
                                   explanation: "no candidate measurement")
        }
        let (estimate, lower, upper) = (rate.estimate * 100, rate.lower * 100, rate.upper * 100)
        let outcome = Self.outcomeAtLeast(threshold, lower: lower, upper: upper)
        var further: Int?
        if outcome == .inconclusive {
            further = Self.furtherJobsForRate(rate: rate.estimate, n: row.candidate.total, target: threshold / 100,
                                              confidence: confidence)
        }
        return TargetJudgement(
            name: .success, threshold: threshold, estimate: estimate, lower: lower, upper: upper, outcome: outcome,
            furtherJobs: further,
            explanation: "candidate success rate \(Format.percent(estimate)) [\(Format.percent(lower)), "
                + "\(Format.percent(upper))] (\(row.candidate.successful)/\(row.candidate.total), Wilson) against "
                + "a target of \(Format.percent(threshold)) or more")
    }

    /// For "at most `threshold`" targets (a change that must be low enough).
    static func outcomeAtMost(_ threshold: Double, lower: Double, upper: Double) -> TargetJudgement.Outcome {
        upper <= threshold ? .pass : (lower > threshold ? .fail : .inconclusive)
    }

    static func outcomeAtLeast(_ threshold: Double, lower: Double, upper: Double) -> TargetJudgement.Outcome {
        lower >= threshold ? .pass : (upper < threshold ? .fail : .inconclusive)
    }

    /// ⌈n·((h/g)² − 1)⌉, at least 1; nil when the estimate sits on the target or n is zero.
    static func furtherJobs(n: Int, estimate: Double, lower: Double, upper: Double, target: Double) -> Int? {
        let gap = abs(target - estimate)
        let half = target < estimate ? estimate - lower : upper - estimate
        guard n > 0, gap > 0, half.isFinite, gap.isFinite else { return nil }
        let factor = (half / gap) * (half / gap)
        let more = (Double(n) * (factor - 1)).rounded(.up)
        guard more < 1e9 else { return nil }
        return Swift.max(1, Int(more))
    }

    /// The smallest number of further jobs after which the Wilson interval at the same rate clears the target.
    static func furtherJobsForRate(rate: Double, n: Int, target: Double, confidence: Double) -> Int? {
        guard rate != target, n > 0 else { return nil }
        let z = NormalDistribution.twoSidedCritical(confidence: confidence)
        func decides(_ size: Int) -> Bool {
            let count = Double(size)
            let denominator = 1 + z * z / count
            let centre = (rate + z * z / (2 * count)) / denominator
            let half = z * (rate * (1 - rate) / count + z * z / (4 * count * count)).squareRoot() / denominator
            return rate > target ? centre - half >= target : centre + half < target
        }
        var high = n
        var steps = 0
        while !decides(high) {
            high *= 2
            steps += 1
            if steps > 40 { return nil }
        }
        var low = n
        while low < high {
            let middle = (low + high) / 2
            if decides(middle) { high = middle } else { low = middle + 1 }
        }
        return Swift.max(1, high - n)
    }
}
