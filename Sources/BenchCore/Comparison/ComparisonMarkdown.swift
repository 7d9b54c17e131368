/// `comparison.md`: the verdict first, then the targets, then benchstat-style tables per row.
public enum ComparisonMarkdown {
    public static func render(_ result: ComparisonReport) -> String {
        var out = "# Comparison\n\n"
        out += "**Verdict: \(result.verdict.rawValue.uppercased())** (exit code \(result.verdict.exitCode))\n\n"
        out += "Baseline: `\(result.baselineLabel)` · candidate: `\(result.candidateLabel)` · "
            + "design: \(result.design.rawValue)\n\n"
        out += "## Targets\n\n| target | required | measured | interval | result |\n|---|---|---|---|---|\n"
        for judgement in result.judgements {
            out += "| \(ComparisonText.targetName(judgement.name)) | \(ComparisonText.required(judgement)) | "
                + "\(ComparisonText.measured(judgement)) | \(ComparisonText.interval(judgement)) | "
                + "\(ComparisonText.outcome(judgement)) |\n"
        }
        if result.judgements.isEmpty { out += "| (none) | | | | |\n" }
        out += "\n"
        if result.regressions.isEmpty {
            out += "No significant regression.\n\n"
        } else {
            out += "Significant regressions (each fails the comparison):\n\n"
            for regression in result.regressions { out += "- \(regression)\n" }
            out += "\n"
        }
        for note in result.notes { out += "- \(note)\n" }
        if !result.notes.isEmpty { out += "\n" }
        out += "## Duration\n\n"
        out += "| row | n base | n cand | median base | median cand | mean base | mean cand | change [interval] "
            + "| p | p (Holm) |\n"
        out += "|---|---|---|---|---|---|---|---|---|---|\n"
        for row in result.rows {
            let d = row.duration
            out += "| \(row.label) | \(row.baseline.successful)/\(row.baseline.total) | "
                + "\(row.candidate.successful)/\(row.candidate.total) | "
                + "\(Format.duration(minutes: row.baseline.medianMinutes)) | "
                + "\(Format.duration(minutes: row.candidate.medianMinutes)) | "
                + "\(Format.duration(minutes: row.baseline.meanMinutes)) | "
                + "\(Format.duration(minutes: row.candidate.meanMinutes)) | \(ComparisonText.durationChange(d)) | "
                + "\(d.map { Format.pValue($0.pValue) } ?? "-") | \(d.map { Format.pValue($0.pHolm) } ?? "-") |\n"
        }
        out += "\n## Success rate\n\n"
        out += "| row | baseline | candidate | difference [interval] | Fisher p | p (Holm) |\n"
            + "|---|---|---|---|---|---|\n"
        for row in result.rows {
            let s = row.success
            out += "| \(row.label) | \(ComparisonText.rate(row.baseline)) | \(ComparisonText.rate(row.candidate)) | "
                + "\(ComparisonText.successChange(s)) | \(s.map { Format.pValue($0.pValue) } ?? "-") | "
                + "\(s.map { Format.pValue($0.pHolm) } ?? "-") |\n"
        }
        out += "\n## Cost and CPU hours per successful job\n\n"
        out += "| row | cost base | cost cand | change [interval] | CPU h base | CPU h cand | change [interval] | "
            + "CPU h total base / cand |\n|---|---|---|---|---|---|---|---|\n"
        for row in result.rows {
            out += "| \(row.label) | \(ComparisonText.mean(row.baseline.costPerJob, dollars: true)) | "
                + "\(ComparisonText.mean(row.candidate.costPerJob, dollars: true)) | "
                + "\(ComparisonText.ratioChange(row.costPerJob)) | "
                + "\(ComparisonText.mean(row.baseline.cpuHoursPerJob, dollars: false)) | "
                + "\(ComparisonText.mean(row.candidate.cpuHoursPerJob, dollars: false)) | "
                + "\(ComparisonText.ratioChange(row.cpuHoursPerJob)) | "
                + "\(ComparisonText.hours(row.baseline.cpuHoursTotal)) / "
                + "\(ComparisonText.hours(row.candidate.cpuHoursTotal)) |\n"
        }
        out += "\n" + ComparisonMethods.sentence(result) + "\n"
        return out
    }
}
