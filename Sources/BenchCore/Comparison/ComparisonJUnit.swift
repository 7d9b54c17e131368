/// `comparison.junit.xml`: one test case per target plus one for regressions; a failed target is a `<failure>`,
/// an inconclusive one `<skipped>`, so CI systems show the verdict without reading the report.
public enum ComparisonJUnit {
    public static func render(_ result: ComparisonReport) -> String {
        var cases: [(name: String, outcome: TargetJudgement.Outcome, message: String)] = result.judgements.map {
            (ComparisonText.targetName($0.name), $0.outcome,
             $0.explanation + ($0.outcome == .inconclusive ? " (\(ComparisonText.outcome($0)))" : ""))
        }
        cases.append(("no significant regression", result.regressions.isEmpty ? .pass : .fail,
                      result.regressions.isEmpty ? "none" : result.regressions.joined(separator: "; ")))
        let failures = cases.filter { $0.outcome == .fail }.count
        let skipped = cases.filter { $0.outcome == .inconclusive }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"mmmbench compare\" tests=\"\(cases.count)\" failures=\"\(failures)\" "
            + "skipped=\"\(skipped)\">\n"
        out += "  <testsuite name=\"\(escape("\(result.candidateLabel) vs \(result.baselineLabel)"))\" "
            + "tests=\"\(cases.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\">\n"
        out += "    <properties>\n      <property name=\"verdict\" value=\"\(result.verdict.rawValue)\"/>\n"
            + "      <property name=\"design\" value=\"\(result.design.rawValue)\"/>\n    </properties>\n"
        for testCase in cases {
            out += "    <testcase classname=\"mmmbench.compare\" name=\"\(escape(testCase.name))\""
            switch testCase.outcome {
            case .pass:
                out += ">\n      <system-out>\(escape(testCase.message))</system-out>\n    </testcase>\n"
            case .fail:
                out += ">\n      <failure message=\"\(escape(testCase.message))\" type=\"target\"/>\n    </testcase>\n"
            case .inconclusive:
                out += ">\n      <skipped message=\"\(escape(testCase.message))\"/>\n    </testcase>\n"
            }
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func escape(_ text: String) -> String { XMLText.escape(text) }
}
