import Foundation

/// The forest plots of a comparison, one panel per target: the change in duration, the candidate's success rate and
/// the change in cost per job, each overall and per job type with its interval, against the target line. Shared by
/// `comparison.html` and the HTML report of an A/B collection.
///
/// Panel ids: `forest-duration`, `forest-success`, `forest-cost` (prefixed by `idPrefix`).
public struct ComparisonForest: Sendable {
    public let report: ComparisonReport
    /// Prefixed to every panel's id, so two comparisons can share a page.
    public let idPrefix: String

    public init(report: ComparisonReport, idPrefix: String = "") {
        self.report = report
        self.idPrefix = idPrefix
    }

    /// The overall row and the job type rows (the type × country rows stay in the table).
    var rows: [ComparisonRow] { report.rows.filter { $0.scope != .typeCountry } }

    var level: String { Format.percent(report.confidence * 100) }

    var duration: SVGForestPlot {
        SVGForestPlot(
            id: idPrefix + "forest-duration",
            title: "Change in duration, candidate vs baseline, with \(level) intervals",
            axisLabel: "change in duration (%)",
            rows: rows.map { row in
                .init(label: row.label, estimate: row.duration?.changePercent, lower: row.duration?.lowerPercent,
                      upper: row.duration?.upperPercent, text: ComparisonText.durationChange(row.duration))
            },
            target: report.targets.durationChangePercent, direction: .atMost, reference: 0)
    }

    var success: SVGForestPlot {
        SVGForestPlot(
            id: idPrefix + "forest-success",
            title: "Success rate of the candidate, with \(level) intervals (Wilson)",
            axisLabel: "candidate success rate (%)",
            rows: rows.map { row in
                let rate = row.candidate.successRate
                let change = row.success.map { ", " + Format.signedPoints($0.differencePoints) } ?? ""
                let text = rate.map {
                    "\(Format.percent($0.estimate * 100)) [\(Format.percent($0.lower * 100)), "
                        + "\(Format.percent($0.upper * 100))]\(change)"
                }
                return .init(label: row.label, estimate: rate.map { $0.estimate * 100 },
                             lower: rate.map { $0.lower * 100 }, upper: rate.map { $0.upper * 100 },
                             text: text ?? "-")
            },
            target: report.targets.minSuccessRatePercent, direction: .atLeast, reference: nil)
    }

    var cost: SVGForestPlot {
        SVGForestPlot(
            id: idPrefix + "forest-cost",
            title: "Change in cost per successful job, with \(level) intervals",
            axisLabel: "change in cost per job (%)",
            rows: rows.map { row in
                .init(label: row.label, estimate: row.costPerJob?.changePercent,
                      lower: row.costPerJob?.lowerPercent, upper: row.costPerJob?.upperPercent,
                      text: ComparisonText.ratioChange(row.costPerJob))
            },
            target: report.targets.costChangePercent, direction: .atMost, reference: 0)
    }

    /// The three panels with a heading each and a line saying how to read them.
    public func render() -> HTMLFragment {
        var html = HTMLFragment.empty
        for (heading, plot) in [("Duration", duration), ("Success rate", success), ("Cost per job", cost)] {
            html.append(HTMLFragment.element("h3", text: heading) + plot.render())
        }
        html.append(HTMLFragment.element("p", ["class": "note"], text:
            "Dots: the estimate (overall first, then each job type); lines: its \(level) interval (success rate: the "
                + "candidate's, with its change from the baseline in points after it); dashed red line: "
                + "the target (none drawn when the target is off); grey line: no change. A green interval lies "
                + "wholly on the required side of the target, a red one wholly on the other side, an amber one "
                + "straddles it. The verdict judges the overall row only; the job type rows show where a change "
                + "comes from."))
        return html
    }

    /// The inline CSS of the plots (added to a page's stylesheet).
    public static let css = """
        svg.forest-plot .row-label{font-weight:600}
        svg .interval{stroke:var(--muted);stroke-width:2.5;stroke-linecap:round}
        svg .estimate{fill:var(--muted);stroke:#fff;stroke-width:1}
        svg .row.meets .interval,svg .row.meets .estimate{stroke:var(--ok);fill:var(--ok)}
        svg .row.misses .interval,svg .row.misses .estimate{stroke:var(--fail);fill:var(--fail)}
        svg .row.straddles .interval,svg .row.straddles .estimate{stroke:var(--lost);fill:var(--lost)}
        svg .target-line{stroke:var(--fail);stroke-width:1.5;stroke-dasharray:5 3}
        svg .target-label{fill:var(--fail);font-size:10.5px}
        svg .reference-line{stroke:#8e9aab;stroke-width:1.2}
        svg .row-value{fill:var(--muted)}
        """
}
