import Foundation

extension TestSuiteReport {
    /// `test_report.junit.xml`, the JUnit XML shape CI systems read (Jenkins, GitLab, GitHub actions):
    ///
    ///     <testsuites name="mmmbench" tests failures errors skipped time>
    ///       <testsuite name="OptimizationTestSuite" tests failures errors skipped time timestamp hostname>
    ///         <properties><property name="target" value="..."/>...</properties>
    ///         <testcase name="test_01_..." classname="mmmbench.OptimizationTestSuite" time="0.012">
    ///           <failure message="..." type="CheckFailure">reason and measurements</failure>   (a fail)
    ///           <error message="..." type="CheckError">...</error>                             (an error)
    ///           <skipped message="disabled by the plan"/>                                      (disabled)
    ///           <system-out>measurements</system-out>
    ///         </testcase>
    ///       </testsuite>
    ///     </testsuites>
    ///
    /// Times are seconds with millisecond precision; `timestamp` is UTC without a zone, as the JUnit schema wants.
    public func junitXML() -> String {
        let time = Self.seconds(totalDurationSeconds)
        let counts = "tests=\"\(total + disabled.count)\" failures=\"\(failed)\" errors=\"\(errors)\" "
            + "skipped=\"\(disabled.count)\" time=\"\(time)\""
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"mmmbench\" \(counts)>\n"
        xml += "  <testsuite name=\"\(Self.suiteName)\" \(counts) timestamp=\"\(Self.junitTimestamp(startedAt))\" "
            + "hostname=\"\(XMLText.escape(Self.host(of: target)))\">\n"
        xml += "    <properties>\n"
        for (name, value) in [("target", target), ("suite_run_id", suiteRunID), ("phase", phase.rawValue)] {
            xml += "      <property name=\"\(name)\" value=\"\(XMLText.escape(value))\"/>\n"
        }
        xml += "    </properties>\n"
        let classname = "mmmbench.\(Self.suiteName)"
        for outcome in outcomes {
            xml += "    <testcase name=\"\(outcome.testName)\" classname=\"\(classname)\" "
                + "time=\"\(Self.seconds(outcome.durationSeconds))\">\n"
            let figures = Self.measurementLines(outcome)
            let reason = outcome.reason ?? "(no reason recorded)"
            switch outcome.status {
            case .pass: break
            case .fail:
                xml += "      <failure message=\"\(XMLText.escape(Self.firstLine(reason)))\" type=\"CheckFailure\">"
                    + XMLText.escape(reason + (figures.isEmpty ? "" : "\n\n" + figures)) + "</failure>\n"
            case .error:
                xml += "      <error message=\"\(XMLText.escape(Self.firstLine(reason)))\" type=\"CheckError\">"
                    + XMLText.escape(reason + (figures.isEmpty ? "" : "\n\n" + figures)) + "</error>\n"
            }
            if !figures.isEmpty {
                xml += "      <system-out>\(XMLText.escape(figures))</system-out>\n"
            }
            xml += "    </testcase>\n"
        }
        for kind in disabled {
            xml += "    <testcase name=\"\(kind.seedTestName)\" classname=\"\(classname)\" time=\"0.000\">\n"
            xml += "      <skipped message=\"disabled by the plan (checks.disabled)\"/>\n"
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// `name: measured unit (threshold: ..., met)`, one line per measurement.
    static func measurementLines(_ outcome: CheckOutcome) -> String {
        outcome.measurements.map { measurement in
            var line = "\(measurement.name): \(measurement.measuredText)"
            if !measurement.threshold.isEmpty {
                line += " (threshold \(measurement.thresholdText): \(measurement.met == true ? "met" : "not met"))"
            }
            return line
        }.joined(separator: "\n")
    }

    static func seconds(_ value: Double) -> String {
        PythonRounding.format(value.isFinite ? max(value, 0) : 0, places: 3)
    }

    static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
        return String((line ?? text).prefix(300))
    }

    static func junitTimestamp(_ date: Date) -> String {
        String(CheckTimestamp.format(date).prefix(19))
    }

    static func host(of url: String) -> String {
        URL(string: url)?.host ?? url
    }
}
