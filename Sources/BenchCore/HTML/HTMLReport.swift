import Foundation

/// The self-contained HTML report of a collection (`baseline_report.html`): headline figures in units that suit
/// the data, the duration distribution per job type and per country (box plots with every point, outliers by
/// modified z-score), every attempt on a timeline per agent, cost per job type, the test suite outcomes with their
/// measured values and thresholds, and the plan, collection and hosts.
///
/// One file with inline CSS and SVG: no script, no font, image or stylesheet loaded from anywhere, so it reads
/// offline, as a mail attachment and on paper. Every string from the database is escaped (``HTMLFragment``).
/// Pure: no I/O.
public struct HTMLReport: Sendable {
    /// `baseline_report.html`.
    public static let fileName = "baseline_report.html"

    public let input: HTMLReportInput
    /// The unit durations of this collection are shown in (by the median successful duration).
    public let durationUnit: DurationUnit
    /// Computed once: the successful measurements as columns (of the candidate too in an A/B collection), the
    /// per-type rows and the headline of the baseline report.
    let columns: BaselineReport.SuccessColumns
    let candidateColumns: BaselineReport.SuccessColumns?
    let typeRows: [BaselineReport.TypeRow]
    let candidateTypeRows: [BaselineReport.TypeRow]
    let headline: BaselineReport.Headline
    /// The attempts' agents, each attempt's as an index (one pass over the attempts for every section).
    let agents: AttemptAgents

    public init(input: HTMLReportInput) {
        self.init(input: input, columns: input.report.successColumns(),
                  candidateColumns: input.candidate?.successColumns())
    }

    /// A page whose successful jobs' columns (``BaselineReport/successColumns()`` of `input.report`, and of
    /// `input.candidate` when there is one) the caller has made already, for the markdown report too.
    public init(input: HTMLReportInput, columns: BaselineReport.SuccessColumns,
                candidateColumns: BaselineReport.SuccessColumns?) {
        self.input = input
        self.columns = columns
        self.candidateColumns = candidateColumns
        typeRows = input.report.typeRows(columns)
        candidateTypeRows = candidateColumns.flatMap { input.candidate?.typeRows($0) } ?? []
        headline = input.report.headline(columns)
        agents = AttemptAgents(input.attempts)
        durationUnit = if let candidateColumns {
            DurationUnit.suiting(minutes: columns.all.durationMinutes + candidateColumns.all.durationMinutes)
        } else {
            DurationUnit.suiting(sortedMinutes: columns.all.sortedDurationMinutes)
        }
    }

    /// The whole document.
    public func render() -> String {
        var body: [HTMLFragment] = [header(), headlineCards()]
        if let comparison = comparisonSection() {
            body.append(section("Candidate vs baseline", id: "ab-comparison", comparison, wide: true))
        }
        body.append(section("Duration by job type", id: "by-job-type", durationByJobType()))
        body.append(section("Duration by country", id: "by-country", durationByCountry()))
        body.append(section("Attempts over time, per agent", id: "timeline", timeline(), wide: true))
        body.append(section("Cost by job type", id: "cost", costByJobType()))
        if let failures = failures() {
            body.append(section("Failed measurements", id: "failures", failures, wide: true))
        }
        if !input.testSuites.isEmpty {
            body.append(section("Optimization test suite", id: "test-suite", testSuites(), wide: true))
        }
        body.append(section("Plan, collection and hosts", id: "plan", planAndHosts(), wide: true))
        let footer = HTMLFragment.element(
            "footer", text: "Made by \(input.generator) at \(Self.timestamp(input.generatedAt)) from the collection "
                + "database. Self-contained: no script, nothing loaded from the network.")
        let title = "Baseline report \(input.collectionID)"
        let css: String = HTMLReportStyle.css + (input.candidate == nil ? "" : Self.abCSS)
        var page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        page += HTMLFragment.element("title", text: title).html
        page += "<style>\(css)</style></head><body><main>"
        page += (body.joined() + footer).html + "</main></body></html>\n"
        return page
    }

    func section(_ title: String, id: String, _ content: HTMLFragment, wide: Bool = false) -> HTMLFragment {
        HTMLFragment.element("section", ["id": id, "class": wide ? "wide" : "chart-section"],
                             HTMLFragment.element("h2", text: title) + content)
    }

    private func header() -> HTMLFragment {
        var period = "no measurement yet"
        if let first = headline.firstTimestamp, let last = headline.lastTimestamp {
            period = "\(Self.timestamp(first)) to \(Self.timestamp(last))"
        }
        let state = input.completedAt.map { "completed \(Self.timestamp($0))" } ?? "still running"
        return HTMLFragment.element(
            "header", [:],
            HTMLFragment.element("h1", text: "MMM Trainer Baseline Performance Report")
                + HTMLFragment.element("p", text: "Collection \(input.collectionID) · \(period) · \(state)"))
    }

    private func headlineCards() -> HTMLFragment {
        let unit = durationUnit
        let durations = columns.all.sortedDurationMinutes
        let planned = input.report.plannedJobs ?? headline.totalJobs
        let totalUnit = DurationUnit.suiting(typicalMinutes: headline.totalTrainingMinutes)
        // In an A/B collection these are the baseline side's figures; the candidate's follow.
        let side = input.candidate == nil ? "" : "Baseline "
        var cards: [(String, String, String)] = [
            ("\(side)Jobs measured", "\(headline.totalJobs)", "of \(planned) planned"),
            ("\(side)Successful", "\(headline.successfulJobs)",
             String(format: "%.1f %% success rate", headline.successRate)),
            ("\(side)Training time", totalUnit.format(minutes: headline.totalTrainingMinutes), "successful jobs, summed"),
        ]
        if !durations.isEmpty {
            let median = SummaryStatistics.percentile(durations, 50)
            let p95 = SummaryStatistics.percentile(durations, 95)
            cards.append(("\(side)Median job", unit.format(minutes: median), "p95 \(unit.format(minutes: p95))"))
        }
        cards.append(("\(side)Estimated cost", MoneyFormat.usd(headline.totalCost), "successful jobs"))
        cards += candidateCards()
        // One pass over the attempts (10^6 in a big collection), no copy of them; the agents are counted already.
        let attempts = input.attempts
        var redispatched = Set<String>()
        for index in attempts.indices where attempts[index].attempt > 1 { redispatched.insert(attempts[index].jobID) }
        cards.append(("Attempts", "\(attempts.count)", "\(redispatched.count) jobs re-dispatched"))
        cards.append(("Agents", "\(agents.names.count)", "ran at least one attempt"))
        let fragments = cards.map { label, value, sub in
            HTMLFragment.element(
                "div", ["class": "card"],
                HTMLFragment.element("div", ["class": "label"], text: label)
                    + HTMLFragment.element("div", ["class": "value"], text: value)
                    + HTMLFragment.element("div", ["class": "sub"], text: sub))
        }
        return HTMLFragment.element("div", ["class": "cards", "id": "headline"], fragments.joined())
    }

    private func durationByJobType() -> HTMLFragment {
        guard !sideRows().isEmpty else { return note("No successful job yet.") }
        let unit = durationUnit
        let plot = SVGBoxPlot(id: "box-job-type", title: "Duration of successful jobs by job type",
                              groups: jobTypeGroups(), unit: unit)
        let header = ["job type", "n", "mean", "std", "p50", "p90", "p95", "max", "outliers"]
        let body = sideRows().map { side, row -> [String] in
            let d = row.duration
            let minutes = sortedDurations(of: row.jobType, side)
            let inliers = ModifiedZScore.inlierRange(sorted: minutes)
            let outliers = minutes.filter { value in inliers.map { !$0.contains(value) } ?? false }
            return [label(row.jobType, side), "\(d.count)", unit.format(minutes: d.mean),
                    d.standardDeviation.map { unit.format(minutes: $0) } ?? "n/a", unit.format(minutes: d.p50),
                    unit.format(minutes: d.p90), unit.format(minutes: d.p95), unit.format(minutes: d.max),
                    "\(outliers.count)"]
        }
        return plot.render() + table(header, body, numeric: 1...8)
            + note("Box: quartiles and median; whiskers: the furthest values that are not outliers; dots: every "
                + "successful job (above \(600) a group, every k-th in order plus the \(200) most extreme "
                + "outliers); red dots: outliers by modified z-score above 3.5. Durations in \(unit.rawValue).")
    }

    private func durationByCountry() -> HTMLFragment {
        let groups = columns.durationsByCountry
        let candidate = candidateColumns?.durationsByCountry ?? [:]
        guard !groups.isEmpty || !candidate.isEmpty else { return note("No successful job yet.") }
        let countries = CountryBoxes(baseline: groups, candidate: input.candidate == nil ? nil : candidate)
        let boxes: [SVGBoxPlot.Group] = countries.drawn.flatMap { country -> [SVGBoxPlot.Group] in
            let base = groups[country] ?? []
            guard input.candidate != nil else { return [.init(label: country, minutes: base)] }
            return [.init(label: country, minutes: base, series: TargetSide.baseline.rawValue),
                    .init(label: country, minutes: candidate[country] ?? [],
                          series: TargetSide.candidate.rawValue)]
        }
        let plot = SVGBoxPlot(id: "box-country", title: "Duration of successful jobs by country", groups: boxes,
                              unit: durationUnit)
        guard countries.drawn.count < countries.total else { return plot.render() }
        return plot.render()
            + note("The \(countries.drawn.count) of \(countries.total) countries with the highest median duration"
                + (input.candidate == nil ? "" : " (of either side)") + ", in name order: a box is drawn for at "
                + "most \(CountryBoxes.maxBoxes) groups. Every job of every country is in baseline_metrics.csv.")
    }

    private func costByJobType() -> HTMLFragment {
        let rows = sideRows()
        guard !rows.isEmpty else { return note("No successful job yet.") }
        let chart = SVGBarChart(id: "bar-cost", title: "Estimated cost by job type", rows: rows.map { side, row in
            .init(label: label(row.jobType, side), value: row.costSum,
                  text: "\(MoneyFormat.usd(row.costSum)) (mean \(MoneyFormat.usd(row.costMean)) a job, "
                      + "\(DurationUnit.number(row.cpuHoursSum)) CPU-h)")
        })
        return chart.render()
            + note("The seed's cost model: CPU hours at the plan's $/vCPU-hour plus memory GB-hours at $/GB-hour.")
    }

    // MARK: - Helpers shared by the sections

    func table(_ header: [String], _ rows: [[String]], numeric: ClosedRange<Int>? = nil) -> HTMLFragment {
        HTMLTable.render(header, rows, numeric: numeric)
    }

    func note(_ text: String) -> HTMLFragment {
        HTMLFragment.element("p", ["class": "note"], text: text)
    }

    /// `2025-03-01 10:00:00 UTC`.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d UTC", p.year ?? 0, p.month ?? 0, p.day ?? 0,
                      p.hour ?? 0, p.minute ?? 0, p.second ?? 0)
    }
}
