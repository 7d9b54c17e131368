import Foundation

/// Compares a candidate with its baseline: per job type, per (type, country) and overall, with intervals, p-values
/// (Holm-corrected across rows) and a verdict against the targets. Pure: the inputs are already loaded.
///
/// How the sides are matched (docs/compare.md, "Methods"):
/// - one A/B collection, or two collections sharing job ids (the same plan matrix): only the job ids present on
///   both sides are compared, and durations job by job (per-job log ratio, Wilcoxon signed-rank, Hodges-Lehmann
///   interval of the Walsh averages), so the mix of job types is the same on both sides by construction;
/// - otherwise as independent samples (Mann-Whitney U, Hodges-Lehmann shift with Moses' interval on log durations).
/// Failed measurements count in the success rate and never in duration, cost or CPU figures.
public enum Comparison {
    /// Compares the two sides of `input`.
    public static func compare(_ input: ComparisonInput) throws(ComparisonError) -> ComparisonReport {
        let confidence = try ComparisonTargets.checkedConfidence(input.targets.confidence)
        for side in [input.baseline, input.candidate] where side.metrics.isEmpty {
            throw ComparisonError(.emptySide, "\(side.label): no measurements to compare")
        }
        var notes: [String] = []
        var baseline = input.baseline.metrics
        var candidate = input.candidate.metrics
        let design = try chooseDesign(input, baseline: &baseline, candidate: &candidate, notes: &notes)

        let baselineTypes = orderedUnique(baseline.map(\.jobType))
        let candidateTypes = Set(candidate.map(\.jobType))
        let types = baselineTypes.filter { candidateTypes.contains($0) }
        guard !types.isEmpty else {
            throw ComparisonError(.nothingInCommon, "\(input.baseline.label) (job types "
                + baselineTypes.joined(separator: ", ") + ") and \(input.candidate.label) (job types "
                + orderedUnique(candidate.map(\.jobType)).joined(separator: ", ") + ") have no job type in common")
        }
        let dropped = (baselineTypes + orderedUnique(candidate.map(\.jobType))).filter { !types.contains($0) }
        if !dropped.isEmpty {
            notes.append("job types on one side only, left out: " + orderedUnique(dropped).joined(separator: ", "))
            baseline.removeAll { !types.contains($0.jobType) }
            candidate.removeAll { !types.contains($0.jobType) }
        }

        var builder = RowBuilder(design: design, confidence: confidence)
        builder.add(.overall, type: nil, country: nil, baseline, candidate)
        for type in types {
            builder.add(.jobType, type: type, country: nil, baseline.filter { $0.jobType == type },
                        candidate.filter { $0.jobType == type })
        }
        for type in types {
            let b = baseline.filter { $0.jobType == type }
            let c = candidate.filter { $0.jobType == type }
            let countries = Set(c.map(\.country))
            for country in orderedUnique(b.map(\.country)) where countries.contains(country) {
                builder.add(.typeCountry, type: type, country: country, b.filter { $0.country == country },
                            c.filter { $0.country == country })
            }
        }
        let rows = builder.finish()
        let judge = TargetJudge(targets: input.targets, confidence: confidence)
        let judgements = judge.judge(rows.first { $0.scope == .overall })
        let regressions = judge.regressions(rows)
        let verdict: Verdict
        if !regressions.isEmpty || judgements.contains(where: { $0.outcome == .fail }) {
            verdict = .fail
        } else if judgements.contains(where: { $0.outcome == .inconclusive }) {
            verdict = .inconclusive
        } else {
            verdict = .pass
        }
        if judgements.isEmpty { notes.append("no target set: the verdict only reflects significant regressions") }
        return ComparisonReport(
            baselineLabel: input.baseline.label, candidateLabel: input.candidate.label, design: design,
            confidence: confidence, targets: input.targets, rows: rows, judgements: judgements,
            regressions: regressions, verdict: verdict, notes: notes)
    }

    /// Whether measurements come from an interleaved A/B collection (they carry a target).
    public static func isABCollection(_ metrics: [BaselineMetric]) -> Bool {
        metrics.contains { $0.target != nil }
    }

    /// Splits an A/B collection into its `baseline` and `candidate` sides.
    public static func abSides(metrics: [BaselineMetric], label: String) throws(ComparisonError)
        -> (baseline: ComparisonSide, candidate: ComparisonSide)
    {
        if let other = metrics.first(where: { $0.target != "baseline" && $0.target != "candidate" }) {
            throw ComparisonError(.malformed, "\(label): job \(other.jobID) has target "
                + "\(other.target.map { "'\($0)'" } ?? "none"); an A/B collection has only baseline and candidate")
        }
        let baseline = ComparisonSide(label: "\(label) (baseline)", metrics: metrics.filter { $0.target == "baseline" })
        let candidate = ComparisonSide(label: "\(label) (candidate)",
                                       metrics: metrics.filter { $0.target == "candidate" })
        return (baseline, candidate)
    }

    static func chooseDesign(_ input: ComparisonInput, baseline: inout [BaselineMetric],
                             candidate: inout [BaselineMetric], notes: inout [String]) throws(ComparisonError)
        -> ComparisonDesign
    {
        let baselineIDs = baseline.map(\.jobID)
        let candidateIDs = candidate.map(\.jobID)
        let unique = Set(baselineIDs).count == baselineIDs.count && Set(candidateIDs).count == candidateIDs.count
        let common = Set(baselineIDs).intersection(candidateIDs)
        if input.fromABCollection, !unique {
            throw ComparisonError(.malformed, "\(input.baseline.label): a job id appears twice on one side of the "
                + "A/B collection")
        }
        let design: ComparisonDesign
        if input.fromABCollection {
            design = .pairedAB
        } else if unique, !common.isEmpty, !input.forceIndependent {
            design = .matchedJobs
        } else {
            design = .independent
        }
        if unique, !common.isEmpty {
            let onlyBaseline = baseline.count - common.count
            let onlyCandidate = candidate.count - common.count
            baseline.removeAll { !common.contains($0.jobID) }
            candidate.removeAll { !common.contains($0.jobID) }
            var text = "\(common.count) job ids on both sides"
            if onlyBaseline + onlyCandidate > 0 {
                text += "; left out: \(onlyBaseline) only in the baseline, \(onlyCandidate) only in the candidate"
            }
            notes.append(text)
        } else if !unique {
            notes.append("a job id appears more than once on a side: compared as independent samples")
        } else {
            notes.append("no job id in common: compared as independent samples")
        }
        if input.forceIndependent, design == .independent, unique, !common.isEmpty {
            notes.append("--unpaired: compared as independent samples")
        }
        return design
    }

    static func orderedUnique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
