extension TestSuiteReport {
    /// `test_report.md`: the seed's `generate_test_report` output (summary, a section per check with its status
    /// mark, duration and description, failure details), followed by error details, the measured values beside
    /// their thresholds, and the run's target and id.
    public func markdown() -> String {
        var report = """

            # \(Self.title)

            ## Summary
            - **Total Tests**: \(total)
            - **Passed**: \(passed) ✅
            - **Failed**: \(failed) ❌
            - **Errors**: \(errors) ⚠️
            - **Success Rate**: \(formatted(successRate, 1))%
            - **Total Duration**: \(formatted(totalDurationSeconds, 1)) seconds

            ## Test Results


            """
        for outcome in outcomes {
            report += "### \(outcome.status.mark) \(outcome.testName) (\(formatted(outcome.durationSeconds, 2))s)\n"
            report += "\(outcome.testDescription)\n\n"
        }
        report += details("Failure Details", outcomes.filter { $0.status == .fail })
        report += details("Error Details", outcomes.filter { $0.status == .error })
        report += measurementTable()
        report += "## Run\n\n"
        report += "- **Target**: \(target)\n"
        report += "- **Suite run**: \(suiteRunID) (\(phase.rawValue))\n"
        report += "- **Started**: \(CheckTimestamp.format(startedAt))\n"
        if !disabled.isEmpty {
            report += "- **Disabled**: " + disabled.map(\.seedTestName).joined(separator: ", ") + "\n"
        }
        let hosts = outcomes.compactMap { outcome -> String? in
            let names = outcome.agents.isEmpty ? outcome.agent.map { [$0] } ?? [] : outcome.agents
            return names.isEmpty ? nil : "\(outcome.testName) on " + names.joined(separator: ", ")
        }
        if !hosts.isEmpty {
            report += "- **Run by**: " + hosts.joined(separator: "; ") + "\n"
        }
        return report
    }

    private func details(_ title: String, _ outcomes: [CheckOutcome]) -> String {
        guard !outcomes.isEmpty else { return "" }
        var text = "## \(title)\n\n"
        for outcome in outcomes {
            let body = outcome.reason ?? "(no reason recorded)"
            let fence = Self.fence(for: body)
            text += "### \(outcome.testName)\n\(fence)\n\(body)\n\(fence)\n\n"
        }
        return text
    }

    private func measurementTable() -> String {
        let rows = outcomes.flatMap { outcome in outcome.measurements.map { (outcome, $0) } }
        guard !rows.isEmpty else { return "" }
        var text = "## Measurements\n\n| Test | Measurement | Measured | Threshold | Met |\n|---|---|---|---|---|\n"
        for (outcome, measurement) in rows {
            let met = measurement.met.map { $0 ? "✅" : "❌" } ?? "-"
            let cells = [outcome.testName, measurement.name, measurement.measuredText, measurement.thresholdText, met]
                .map(Self.cell)
            text += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return text + "\n"
    }

    /// A table cell: pipes escaped, line breaks flattened.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r", with: " ")
            .replacingOccurrences(of: "\n", with: " ")
    }

    /// A code fence longer than any run of backticks in `body`, at least the seed's three.
    private static func fence(for body: String) -> String {
        var longest = 0
        var run = 0
        for character in body {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }
}
