import Foundation

/// Computes the rows of a comparison, then Holm-corrects their p-values as one family per measure.
struct RowBuilder {
    let design: ComparisonDesign
    let confidence: Double
    private var rows: [ComparisonRow] = []

    init(design: ComparisonDesign, confidence: Double) {
        self.design = design
        self.confidence = confidence
    }

    mutating func add(_ scope: ComparisonRow.Scope, type: String?, country: String?, _ baseline: [BaselineMetric],
                      _ candidate: [BaselineMetric])
    {
        var row = ComparisonRow(
            scope: scope, jobType: type, country: country, baseline: summary(baseline),
            candidate: summary(candidate), duration: nil, success: nil, costPerJob: nil, cpuHoursPerJob: nil)
        row.duration = durationChange(baseline, candidate)
        row.success = successChange(baseline, candidate)
        let costs = pairedValues(baseline, candidate, \.costEstimate)
        let cpu = pairedValues(baseline, candidate, \.cpuHours)
        row.costPerJob = ratio(costs).map(RatioChange.init)
        row.cpuHoursPerJob = ratio(cpu).map(RatioChange.init)
        rows.append(row)
    }

    /// The rows with Holm-adjusted p-values and significance flags.
    func finish() -> [ComparisonRow] {
        let alpha = 1 - confidence
        var result = rows
        let duration = HolmCorrection.adjust(rows.map { $0.duration?.pValue })
        let success = HolmCorrection.adjust(rows.map { $0.success?.pValue })
        for index in result.indices {
            if let adjusted = duration[index] {
                result[index].duration?.pHolm = adjusted
                result[index].duration?.significant = adjusted < alpha
            }
            if let adjusted = success[index] {
                result[index].success?.pHolm = adjusted
                result[index].success?.significant = adjusted < alpha
            }
        }
        return result
    }

    private func summary(_ metrics: [BaselineMetric]) -> SideSummary {
        let successful = metrics.filter(\.success)
        let durations = successful.map(\.durationMinutes).sorted()
        return SideSummary(
            total: metrics.count, successful: successful.count,
            medianMinutes: durations.isEmpty ? nil : SummaryStatistics.percentile(durations, 50),
            meanMinutes: durations.isEmpty ? nil : durations.reduce(0, +) / Double(durations.count),
            successRate: Proportions.wilson(successes: successful.count, total: metrics.count, confidence: confidence),
            costPerJob: MeanInterval(successful.map(\.costEstimate), confidence: confidence),
            cpuHoursPerJob: MeanInterval(successful.map(\.cpuHours), confidence: confidence),
            cpuHoursTotal: successful.reduce(0) { $0 + $1.cpuHours })
    }

    private func durationChange(_ baseline: [BaselineMetric], _ candidate: [BaselineMetric]) -> DurationChange? {
        let usable: (BaselineMetric) -> Bool = { $0.success && $0.durationMinutes > 0 }
        if design.isPaired {
            let pairs = pairedValues(baseline, candidate, \.durationMinutes)
            let logRatios = zip(pairs.baseline, pairs.candidate).map { log($0.1) - log($0.0) }
            guard let test = WilcoxonSignedRank(logRatios),
                  let shift = ShiftEstimate.paired(logRatios, confidence: confidence)
            else { return nil }
            return make(.wilcoxonSignedRank, logRatios.count, test.pValue, shift)
        }
        let x = baseline.filter(usable).map { log($0.durationMinutes) }
        let y = candidate.filter(usable).map { log($0.durationMinutes) }
        guard let test = MannWhitneyU(x, y), let shift = ShiftEstimate.twoSample(x: x, y: y, confidence: confidence)
        else { return nil }
        return make(.mannWhitney, Swift.min(x.count, y.count), test.pValue, shift)
    }

    private func make(_ method: DurationChange.Method, _ n: Int, _ p: Double, _ shift: ShiftEstimate)
        -> DurationChange
    {
        DurationChange(
            method: method, sampleSize: n, changePercent: (exp(shift.estimate) - 1) * 100,
            lowerPercent: (exp(shift.lower) - 1) * 100, upperPercent: (exp(shift.upper) - 1) * 100, pValue: p,
            pHolm: p, significant: false)
    }

    private func successChange(_ baseline: [BaselineMetric], _ candidate: [BaselineMetric]) -> SuccessChange? {
        let sb = baseline.filter(\.success).count
        let sc = candidate.filter(\.success).count
        guard let difference = Proportions.newcombeDifference(
            successes1: sc, total1: candidate.count, successes2: sb, total2: baseline.count, confidence: confidence)
        else { return nil }
        let p = Proportions.fisherExact(sc, candidate.count - sc, sb, baseline.count - sb)
        return SuccessChange(
            differencePoints: difference.estimate * 100, lowerPoints: difference.lower * 100,
            upperPoints: difference.upper * 100, pValue: p, pHolm: p, significant: false)
    }

    /// Values of successful measurements: for a paired design, of the jobs successful on both sides, aligned.
    private func pairedValues(_ baseline: [BaselineMetric], _ candidate: [BaselineMetric],
                              _ value: KeyPath<BaselineMetric, Double>) -> (baseline: [Double], candidate: [Double])
    {
        guard design.isPaired else {
            return (baseline.filter(\.success).map { $0[keyPath: value] },
                    candidate.filter(\.success).map { $0[keyPath: value] })
        }
        var byID: [String: BaselineMetric] = [:]
        for metric in baseline where metric.success && metric.durationMinutes > 0 { byID[metric.jobID] = metric }
        var b: [Double] = []
        var c: [Double] = []
        for metric in candidate where metric.success && metric.durationMinutes > 0 {
            guard let partner = byID[metric.jobID] else { continue }
            b.append(partner[keyPath: value])
            c.append(metric[keyPath: value])
        }
        return (b, c)
    }

    private func ratio(_ values: (baseline: [Double], candidate: [Double])) -> RatioEstimate? {
        design.isPaired
            ? RatioEstimate.paired(baseline: values.baseline, candidate: values.candidate, confidence: confidence)
            : RatioEstimate.independent(baseline: values.baseline, candidate: values.candidate, confidence: confidence)
    }
}
