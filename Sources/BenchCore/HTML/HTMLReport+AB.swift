import Foundation

/// The HTML report of an A/B collection (plan `targets:`): both sides side by side (per job type a baseline box and
/// a candidate box, per job type and side a row of the tables and a cost bar), and the candidate judged against
/// the baseline as the forest plot of `comparison.html`. A one-target collection has one side, the baseline.
extension HTMLReport {
    /// The durations (minutes) of a side's successful jobs of `jobType`, in row order.
    func durations(of jobType: String, _ side: TargetSide) -> [Double] {
        let sideColumns = side == .candidate ? candidateColumns : columns
        return sideColumns?.byType[jobType]?.durationMinutes ?? []
    }

    /// ``durations(of:_:)`` sorted ascending (sorted once, when the columns were made).
    func sortedDurations(of jobType: String, _ side: TargetSide) -> [Double] {
        let sideColumns = side == .candidate ? candidateColumns : columns
        return sideColumns?.byType[jobType]?.sortedDurationMinutes ?? []
    }

    /// The per-type rows of each side, by job type then side (baseline first); the baseline's alone without a
    /// candidate.
    func sideRows() -> [(side: TargetSide, row: BaselineReport.TypeRow)] {
        guard input.candidate != nil else { return typeRows.map { (.baseline, $0) } }
        let candidateRows = Dictionary(candidateTypeRows.map { ($0.jobType, $0) }) { first, _ in first }
        let types = Set(typeRows.map(\.jobType)).union(candidateRows.keys).sorted()
        let baselineRows = Dictionary(typeRows.map { ($0.jobType, $0) }) { first, _ in first }
        return types.flatMap { type -> [(side: TargetSide, row: BaselineReport.TypeRow)] in
            [baselineRows[type].map { (.baseline, $0) }, candidateRows[type].map { (.candidate, $0) }]
                .compactMap { $0 }
        }
    }

    /// `small` in a one-target collection, `small (candidate)` in an A/B one.
    func label(_ jobType: String, _ side: TargetSide) -> String {
        input.candidate == nil ? jobType : "\(jobType) (\(side.rawValue))"
    }

    /// The box plot's groups: one per job type, or per job type and side (paired: baseline then candidate).
    func jobTypeGroups() -> [SVGBoxPlot.Group] {
        guard input.candidate != nil else {
            return typeRows.map { .init(label: $0.jobType, minutes: sortedDurations(of: $0.jobType, .baseline)) }
        }
        return sideRows().map { side, row in
            .init(label: row.jobType, minutes: sortedDurations(of: row.jobType, side), series: side.rawValue)
        }
    }

    /// The candidate's headline cards (A/B collections only).
    func candidateCards() -> [(String, String, String)] {
        guard let candidate = input.candidate, let candidateColumns else { return [] }
        let figures = candidate.headline(candidateColumns)
        var cards = [("Candidate successful", "\(figures.successfulJobs)",
                      String(format: "%.1f %% of %d", figures.successRate, figures.totalJobs))]
        let durations = candidateColumns.all.sortedDurationMinutes
        if !durations.isEmpty {
            cards.append(("Candidate median", durationUnit.format(minutes: SummaryStatistics.percentile(durations, 50)),
                          "p95 \(durationUnit.format(minutes: SummaryStatistics.percentile(durations, 95)))"))
        }
        cards.append(("Candidate cost", MoneyFormat.usd(figures.totalCost), "successful jobs"))
        return cards
    }

    /// The verdict and forest plot of the candidate against the baseline; nil in a one-target collection.
    func comparisonSection() -> HTMLFragment? {
        guard input.candidate != nil else { return nil }
        guard let comparison = input.comparison else {
            return note("No comparison yet: each side needs measurements of a common job type.")
        }
        return ComparisonHTML.verdict(comparison) + ComparisonForest(report: comparison, idPrefix: "ab-").render()
            + note("The same comparison as mmmbench compare on this database (targets: the plan's validation: "
                + "section, else the seed's; design \(comparison.design.rawValue)); its tables are in "
                + "comparison.html when written with --out.")
    }

    /// Colours of the candidate side and the comparison's styles, added to the stylesheet of an A/B report.
    static let abCSS = ComparisonForest.css + ComparisonHTML.verdictCSS + """
        svg .group.candidate .box{fill:#eadcf2;stroke:#7d3c98}
        svg .group.candidate .median,svg .group.candidate .whisker{stroke:#7d3c98}
        svg .group.candidate .point:not(.outlier){fill:#7d3c98}
        """
}
