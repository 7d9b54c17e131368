/// The short table `compare` prints: the verdict, the targets, then overall and per job type.
public enum ComparisonTerminal {
    public static func render(_ result: ComparisonReport) -> String {
        var out = "verdict: \(result.verdict.rawValue.uppercased()) (exit \(result.verdict.exitCode))\n"
        for judgement in result.judgements {
            out += "  \(ComparisonText.targetName(judgement.name)): \(ComparisonText.outcome(judgement)) — "
                + "\(ComparisonText.measured(judgement)) \(ComparisonText.interval(judgement)), required "
                + "\(ComparisonText.required(judgement))\n"
        }
        for regression in result.regressions { out += "  regression: \(regression)\n" }
        out += "\n"
        let header = ["row", "n base", "n cand", "median base", "median cand", "duration change", "p (Holm)",
                      "success base", "success cand"]
        var table = [header]
        for row in result.rows where row.scope != .typeCountry {
            table.append([
                row.label, "\(row.baseline.successful)/\(row.baseline.total)",
                "\(row.candidate.successful)/\(row.candidate.total)",
                Format.duration(minutes: row.baseline.medianMinutes),
                Format.duration(minutes: row.candidate.medianMinutes), ComparisonText.durationChange(row.duration),
                row.duration.map { Format.pValue($0.pHolm) } ?? "-",
                row.baseline.successRate.map { Format.percent($0.estimate * 100) } ?? "-",
                row.candidate.successRate.map { Format.percent($0.estimate * 100) } ?? "-",
            ])
        }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for line in table {
            out += line.enumerated().map { column, cell in
                cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        for note in result.notes { out += "note: \(note)\n" }
        return out
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
