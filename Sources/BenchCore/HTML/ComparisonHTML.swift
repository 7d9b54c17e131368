import Foundation

/// `comparison.html`: the comparison as one self-contained page (inline CSS and SVG, no script, nothing loaded):
/// the verdict first, the targets judged, a forest plot of the changes against the targets (``ComparisonForest``),
/// then the tables of `comparison.md`. Pure: no I/O; every string is escaped.
public enum ComparisonHTML {
    /// `comparison.html`.
    public static let fileName = "comparison.html"

    public static func render(_ result: ComparisonReport, generatedAt: Date = Date()) -> String {
        var body = header(result) + verdict(result)
        body.append(section("Targets", id: "targets", targets(result)))
        body.append(section("Changes against the targets", id: "forest", ComparisonForest(report: result).render()))
        body.append(section("Table", id: "table", tables(result)))
        body.append(HTMLFragment.element(
            "footer", text: ComparisonMethods.sentence(result) + " Made by mmmbench compare at "
                + "\(HTMLReport.timestamp(generatedAt)). Self-contained: no script, nothing loaded from the network."))
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + HTMLFragment.element("title", text: "Comparison: \(result.verdict.rawValue.uppercased())").html
            + "<style>\(HTMLReportStyle.css)\(ComparisonForest.css)\(verdictCSS)</style></head><body><main>"
            + body.html + "</main></body></html>\n"
    }

    static func section(_ title: String, id: String, _ content: HTMLFragment) -> HTMLFragment {
        HTMLFragment.element("section", ["id": id, "class": "wide"], HTMLFragment.element("h2", text: title) + content)
    }

    static func header(_ result: ComparisonReport) -> HTMLFragment {
        HTMLFragment.element(
            "header", [:],
            HTMLFragment.element("h1", text: "Comparison: candidate vs baseline")
                + HTMLFragment.element("p", text: "Baseline \(result.baselineLabel) · candidate "
                    + "\(result.candidateLabel) · design \(result.design.rawValue) · "
                    + "\(Format.percent(result.confidence * 100)) intervals"))
    }

    /// The verdict banner (`<div id="verdict" class="verdict pass">`): the word, the exit code, and why.
    static func verdict(_ result: ComparisonReport) -> HTMLFragment {
        var reasons = result.judgements.map { "\(ComparisonText.targetName($0.name)) \($0.outcome.rawValue)" }
        if !result.regressions.isEmpty { reasons.append("\(result.regressions.count) significant regression(s)") }
        let why = reasons.isEmpty ? "no target set, no significant regression" : reasons.joined(separator: ", ")
        return HTMLFragment.element(
            "div", ["id": "verdict", "class": "verdict \(result.verdict.rawValue)"],
            HTMLFragment.element("span", ["class": "word"], text: result.verdict.rawValue.uppercased())
                + HTMLFragment.element("span", ["class": "why"],
                                       text: "exit code \(result.verdict.exitCode) · \(why)"))
    }

    static func targets(_ result: ComparisonReport) -> HTMLFragment {
        let rows = result.judgements.map { judgement in
            [ComparisonText.targetName(judgement.name), ComparisonText.required(judgement),
             ComparisonText.measured(judgement), ComparisonText.interval(judgement), ComparisonText.outcome(judgement),
             judgement.explanation]
        }
        var html = rows.isEmpty
            ? note("No target is set: the verdict rests on regressions alone.")
            : HTMLTable.render(["target", "required", "measured", "interval", "result", "how"], rows,
                               id: "judgements")
        if result.regressions.isEmpty {
            html.append(note("No significant regression."))
        } else {
            html.append(HTMLFragment.element("h3", text: "Significant regressions (each fails the comparison)"))
            html.append(HTMLFragment.element("ul", ["class": "regressions"], result.regressions.map {
                HTMLFragment.element("li", text: $0)
            }.joined()))
        }
        for text in result.notes { html.append(note(text)) }
        return html
    }

    static func tables(_ result: ComparisonReport) -> HTMLFragment {
        let durations = result.rows.map { row in
            let d = row.duration
            return [row.label, "\(row.baseline.successful)/\(row.baseline.total)",
                    "\(row.candidate.successful)/\(row.candidate.total)",
                    Format.duration(minutes: row.baseline.medianMinutes),
                    Format.duration(minutes: row.candidate.medianMinutes), ComparisonText.durationChange(d),
                    d.map { Format.pValue($0.pValue) } ?? "-", d.map { Format.pValue($0.pHolm) } ?? "-"]
        }
        let success = result.rows.map { row in
            let s = row.success
            return [row.label, ComparisonText.rate(row.baseline), ComparisonText.rate(row.candidate),
                    ComparisonText.successChange(s), s.map { Format.pValue($0.pValue) } ?? "-",
                    s.map { Format.pValue($0.pHolm) } ?? "-"]
        }
        let cost = result.rows.map { row in
            [row.label, ComparisonText.mean(row.baseline.costPerJob, dollars: true),
             ComparisonText.mean(row.candidate.costPerJob, dollars: true), ComparisonText.ratioChange(row.costPerJob),
             ComparisonText.mean(row.baseline.cpuHoursPerJob, dollars: false),
             ComparisonText.mean(row.candidate.cpuHoursPerJob, dollars: false),
             ComparisonText.ratioChange(row.cpuHoursPerJob)]
        }
        return HTMLFragment.element("h3", text: "Duration")
            + HTMLTable.render(["row", "n base", "n cand", "median base", "median cand", "change [interval]", "p",
                                "p (Holm)"], durations, numeric: 1...7, id: "duration-table")
            + HTMLFragment.element("h3", text: "Success rate")
            + HTMLTable.render(["row", "baseline", "candidate", "difference [interval]", "Fisher p", "p (Holm)"],
                               success, numeric: 1...5, id: "success-table")
            + HTMLFragment.element("h3", text: "Cost and CPU hours per successful job")
            + HTMLTable.render(["row", "cost base", "cost cand", "change [interval]", "CPU h base", "CPU h cand",
                                "change [interval]"], cost, numeric: 1...6, id: "cost-table")
            + note("~ marks a change that is not significant after the Holm correction; n is successful/total.")
    }

    static func note(_ text: String) -> HTMLFragment {
        HTMLFragment.element("p", ["class": "note"], text: text)
    }

    /// The verdict banner's CSS (added to the report's stylesheet).
    static let verdictCSS = """
        .verdict{display:flex;gap:16px;align-items:baseline;border-radius:8px;padding:12px 18px;margin:16px 0;
        color:#fff}
        .verdict .word{font-size:26px;font-weight:700;letter-spacing:.04em}
        .verdict.pass{background:var(--ok)}.verdict.fail{background:var(--fail)}
        .verdict.inconclusive{background:var(--lost)}
        """
}
