import Foundation

extension HTMLReport {
    /// Most failed measurements listed one by one; the rest are counted.
    static let maxFailureRows = 200

    func timeline() -> HTMLFragment {
        guard !input.attempts.isEmpty else { return note("No attempt yet.") }
        let attempts = input.attempts
        let chart = SVGTimeline(id: "timeline-chart", attempts: attempts, agents: agents, now: input.generatedAt)
        let outcomes = AttemptSpan.Outcome.allCases
        var counts = [Int](repeating: 0, count: outcomes.count)
        var redispatches = 0
        for index in attempts.indices {
            counts[attempts[index].outcome.caseIndex] += 1
            if attempts[index].attempt > 1 { redispatches += 1 }
        }
        let legend: [(String, String, String)] = [
            ("succeeded", "var(--ok)", "none"), ("failed measurement", "var(--fail)", "none"),
            ("lost (expired or abandoned)", "var(--lost)", "none"), ("released", "var(--released)", "none"),
            ("running", "var(--running)", "none"), ("re-dispatched (attempt > 1)", "#fff", "1.5px solid #111"),
        ]
        let legendHTML = HTMLFragment.element("div", ["class": "legend"], legend.map { label, colour, border in
            HTMLFragment.element("span", ["style": "--c:\(colour);--b:\(border)"], text: label)
        }.joined())
        let summary = zip(outcomes, counts).compactMap { outcome, count in
            count > 0 ? "\(count) \(outcome.rawValue)" : nil
        }.joined(separator: ", ")
        var text = "\(attempts.count) attempts (\(summary); \(redispatches) re-dispatches) on "
            + "\(agents.names.count) agents. Idle stretches (day gaps, outages) are collapsed to a "
            + "dashed grey band labelled with their length; dashed lines mark the first job of each day."
        if !chart.drawsEveryAttempt {
            text += " With more than \(chart.maxBars) attempts each lane is drawn in columns of \(Int(chart.binWidth)) "
                + "pixels shaded by the number of attempts started in them; failed, lost and re-dispatched attempts "
                + "are still drawn one by one (above \(chart.maxMarked), as red columns)."
        }
        return chart.render() + legendHTML + note(text)
    }

    func failures() -> HTMLFragment? {
        let failed = input.report.metrics.filter { !$0.success }
        guard !failed.isEmpty else { return nil }
        let rows = failed.prefix(Self.maxFailureRows).map { metric in
            HTMLFragment.element("tr", [:], [
                HTMLFragment.element("td", text: metric.jobID),
                HTMLFragment.element("td", ["class": "num"], text: "\(metric.attempt)"),
                HTMLFragment.element("td", text: metric.agent),
                HTMLFragment.element("td", ["class": "num"], text: metric.httpStatus.map(String.init) ?? "none"),
                HTMLFragment.element("td", ["class": "error-text"], text: metric.errorMessage ?? "(no message)"),
            ].joined())
        }.joined()
        let head = ["job", "attempt", "agent", "HTTP", "error"].map { HTMLFragment.element("th", text: $0) }.joined()
        let headRow = HTMLFragment.element("thead", [:], HTMLFragment.element("tr", [:], head))
        var result = HTMLFragment.element("table", [:], headRow
            + HTMLFragment.element("tbody", [:], rows))
        if failed.count > Self.maxFailureRows {
            result.append(note("\(failed.count - Self.maxFailureRows) more failed measurements are in "
                + "baseline_metrics.json and baseline_metrics.csv."))
        }
        return result
    }

    func testSuites() -> HTMLFragment {
        input.testSuites.map { suite in
            let title = "\(suite.phase.rawValue): \(suite.passed) passed, \(suite.failed) failed, "
                + "\(suite.errors) errors"
            var rows: [HTMLFragment] = []
            for outcome in suite.outcomes {
                let badge = HTMLFragment.element("span", ["class": "badge \(outcome.status.rawValue)"],
                                                 text: outcome.status.rawValue)
                let span = String(max(outcome.measurements.count, 1))
                let first = outcome.measurements.first
                var cells = HTMLFragment.element("td", ["rowspan": span], badge)
                cells.append(HTMLFragment.element("td", ["rowspan": span],
                    HTMLFragment.element("code", text: outcome.testName)
                        + (outcome.reason.map { HTMLFragment.element("div", ["class": "error-text"], text: $0) }
                            ?? .empty)))
                cells.append(HTMLFragment.element("td", ["class": "num", "rowspan": span],
                                                  text: String(format: "%.2f s", outcome.durationSeconds)))
                cells.append(measurementCells(first))
                rows.append(HTMLFragment.element("tr", [:], cells))
                for measurement in outcome.measurements.dropFirst() {
                    rows.append(HTMLFragment.element("tr", [:], measurementCells(measurement)))
                }
            }
            let head = ["status", "check", "duration", "measurement", "measured", "threshold", "met"].map {
                HTMLFragment.element("th", text: $0)
            }.joined()
            return HTMLFragment.element("h3", text: title)
                + note("Suite run \(suite.suiteRunID) against \(suite.target), started "
                    + "\(Self.timestamp(suite.startedAt)).")
                + HTMLFragment.element("table", ["class": "suite"],
                    HTMLFragment.element("thead", [:], HTMLFragment.element("tr", [:], head))
                    + HTMLFragment.element("tbody", [:], rows.joined()))
        }.joined()
    }

    private func measurementCells(_ measurement: CheckMeasurement?) -> HTMLFragment {
        guard let measurement else { return HTMLFragment.element("td", ["colspan": "4"], text: "no measurement") }
        let met: HTMLFragment
        switch measurement.met {
        case true?: met = HTMLFragment.element("span", ["class": "met-yes"], text: "yes")
        case false?: met = HTMLFragment.element("span", ["class": "met-no"], text: "no")
        case nil: met = HTMLFragment(text: "-")
        }
        return [
            HTMLFragment.element("td", [:], HTMLFragment.element("code", text: measurement.name)),
            HTMLFragment.element("td", ["class": "num"], text: measurement.measuredText),
            HTMLFragment.element("td", ["class": "num"], text: measurement.thresholdText),
            HTMLFragment.element("td", [:], met),
        ].joined()
    }

    func planAndHosts() -> HTMLFragment {
        let plan = input.plan
        let pricing = plan.pricing
        let facts: [(String, String)] = [
            ("Collection", input.collectionID),
            ("Created", Self.timestamp(input.createdAt)),
            ("Completed", input.completedAt.map(Self.timestamp) ?? "not yet"),
            ("Days", "\(plan.days) × \(plan.jobsPerDay) jobs"),
            ("Timeout", SVGTimeline.length(plan.timeoutSeconds)),
            ("Gaps", "\(SVGTimeline.length(plan.jobGapSeconds)) between jobs, "
                + "\(SVGTimeline.length(plan.dayGapSeconds)) between days"),
            ("Attempts", "at most \(plan.maxAttempts) a job, \(plan.maxInFlight) in flight"),
            ("Pricing", String(format: "%g vCPU, %g GB base; $%g per vCPU-hour, $%g per GB-hour", pricing.baseVCPU,
                               pricing.baseMemoryGB, pricing.vcpuHourUSD, pricing.gbHourUSD)),
            ("Trainer revision", plan.payload.revision),
        ] + Array(Set(input.testSuites.map(\.target))).sorted().map { ("Trainer (test suite)", $0) }
            + (plan.targets.map { [("Baseline trainer", $0.baseline), ("Candidate trainer", $0.candidate)] } ?? [])
            + input.versions.map { ($0.name, $0.value) } + [("Report made by", input.generator)]
        let list = HTMLFragment.element("dl", ["class": "facts"], facts.map { term, value in
            HTMLFragment.element("dt", text: term) + HTMLFragment.element("dd", text: value)
        }.joined())
        let jobs = table(["job type", "iterations", "trials", "countries"], plan.jobs.map {
            [$0.type, "\($0.iterations)", "\($0.trials)", $0.countries.joined(separator: ", ")]
        }, numeric: 1...2)
        return list + HTMLFragment.element("h3", text: "Job configs") + jobs
            + HTMLFragment.element("h3", text: "Hosts (agents)") + hosts()
    }

    private func hosts() -> HTMLFragment {
        // One pass over the attempts (10^6 in a big collection), a tally per agent (by its index): no copy of the
        // spans, no agent name hashed.
        guard !agents.names.isEmpty else { return note("No agent ran an attempt yet.") }
        var tallies = [AgentTally](repeating: AgentTally(), count: agents.names.count)
        let attempts = input.attempts
        for (index, agent) in agents.agentOfAttempt.enumerated() { tallies[agent].add(attempts[index]) }
        let rows = zip(agents.names, tallies).map { agent, tally -> [String] in
            let count = { (outcome: AttemptSpan.Outcome) in tally.counts[outcome.caseIndex] }
            return [agent, "\(tally.attempts)", "\(count(.succeeded))", "\(count(.failed))",
                    "\(count(.expired) + count(.abandoned))", Self.timestamp(tally.first), Self.timestamp(tally.last)]
        }
        return table(["agent", "attempts", "succeeded", "failed", "lost", "first", "last"], rows, numeric: 1...4)
    }
}

/// One agent's attempts as the hosts table counts them.
private struct AgentTally {
    var attempts = 0
    /// Attempts per outcome, by ``AttemptSpan/Outcome/caseIndex``.
    var counts = [Int](repeating: 0, count: AttemptSpan.Outcome.allCases.count)
    var first = Date.distantFuture
    var last = Date.distantPast

    mutating func add(_ span: AttemptSpan) {
        attempts += 1
        counts[span.outcome.caseIndex] += 1
        first = min(first, span.start)
        last = max(last, span.end ?? span.start)
    }
}
