import BenchCore
import Foundation
import FoundationXML
import Testing

@Suite("Test suite report: seed markdown, JUnit XML, JSON")
struct CheckReportTests {
    /// Ten outcomes: eight passes, a failure (cost efficiency) and an error (load handling).
    static func report() -> TestSuiteReport {
        let outcomes = CheckKind.allCases.map { kind -> CheckOutcome in
            switch kind {
            case .costEfficiency:
                CheckOutcome(
                    check: kind, status: .fail, durationSeconds: 0.004, startedAt: CheckFixtures.started,
                    measurements: [CheckMeasurement(
                        name: "checks.cpu_usage", measured: "0.4", value: 0.4, threshold: "> 5.0 and < 85.0",
                        met: false, unit: "%")],
                    reason: "CPU usage 0.4 % is not above 5.0 %: CPU usage too low & <wasted> \"really\"")
            case .loadHandling:
                CheckOutcome(
                    check: kind, status: .error, durationSeconds: 1.5, startedAt: CheckFixtures.started,
                    reason: "none of the 5 load requests got an answer: request 0: connection refused\u{1}")
            default:
                CheckOutcome(check: kind, status: .pass, durationSeconds: 0.25, startedAt: CheckFixtures.started)
            }
        }
        return TestSuiteReport(
            suiteRunID: "s-0000abcd", phase: .standalone, target: "http://127.0.0.1:8080",
            startedAt: CheckFixtures.started, outcomes: outcomes.filter { $0.check != .rollback },
            disabled: [.rollback])
    }

    @Test("markdown: the seed's summary, a section per check with mark/duration/description, failure details")
    func markdown() {
        let text = Self.report().markdown()
        #expect(text.hasPrefix("""

            # Optimization Test Suite Report

            ## Summary
            - **Total Tests**: 9
            - **Passed**: 7 ✅
            - **Failed**: 1 ❌
            - **Errors**: 1 ⚠️
            - **Success Rate**: 77.8%
            - **Total Duration**: 3.3 seconds

            ## Test Results

            ### ✅ test_01_health_endpoint_response (0.25s)
            Test that health endpoint responds correctly

            """))
        #expect(text.contains("### ❌ test_08_cost_efficiency_validation (0.00s)\n"
            + "Validate that optimizations improve cost efficiency\n\n"))
        #expect(text.contains("### ⚠️ test_09_load_handling (1.50s)\nTest handling of concurrent load\n\n"))
        #expect(text.contains("## Failure Details\n\n### test_08_cost_efficiency_validation\n```\nCPU usage 0.4 %"))
        #expect(text.contains("## Error Details\n\n### test_09_load_handling\n```\nnone of the 5"))
        #expect(text.contains(
            "| test_08_cost_efficiency_validation | checks.cpu_usage | 0.4 % | > 5.0 and < 85.0 % | ❌ |"))
        #expect(text.contains("- **Disabled**: test_10_rollback_capability"))
        #expect(!text.contains("test_10_rollback_capability ("), "a disabled check has no result section")
    }

    @Test("JUnit XML parses and has the usual shape: counts, a testcase per check, failure/error/skipped children")
    func junitShape() throws {
        let xml = Self.report().junitXML()
        let document = try XMLDocument(data: Data(xml.utf8), options: [])
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.count == 1)
        let suite = try #require(suites.first)
        func attribute(_ element: XMLElement, _ name: String) -> String? {
            element.attribute(forName: name)?.stringValue
        }
        #expect(attribute(suite, "name") == "OptimizationTestSuite")
        #expect(attribute(suite, "tests") == "10")
        #expect(attribute(suite, "failures") == "1")
        #expect(attribute(suite, "errors") == "1")
        #expect(attribute(suite, "skipped") == "1")
        #expect(attribute(suite, "time") == "3.254")
        #expect(attribute(suite, "timestamp") == "2025-03-01T10:00:00")
        let cases = suite.elements(forName: "testcase")
        #expect(cases.map { attribute($0, "name") } == CheckKind.allCases.map(\.seedTestName))
        #expect(cases.allSatisfy { attribute($0, "classname") == "mmmbench.OptimizationTestSuite" })
        #expect(cases.allSatisfy { attribute($0, "time").flatMap(Double.init) != nil })
        let failure = try #require(cases[7].elements(forName: "failure").first)
        #expect(attribute(failure, "message")?.contains("& <wasted> \"really\"") == true, "escaped and read back")
        #expect(failure.stringValue?.contains("checks.cpu_usage: 0.4 %") == true)
        let error = try #require(cases[8].elements(forName: "error").first)
        #expect(error.stringValue?.contains("connection refused\u{FFFD}") == true, "control character replaced")
        #expect(cases[9].elements(forName: "skipped").count == 1)
        #expect(cases[0].children?.compactMap { $0 as? XMLElement }.filter { $0.name != "system-out" }.isEmpty == true)
        let properties = suite.elements(forName: "properties").first?.elements(forName: "property") ?? []
        #expect(properties.contains {
            attribute($0, "name") == "target" && attribute($0, "value") == "http://127.0.0.1:8080"
        })
    }

    @Test("JSON: the seed's summary names and test_results entries; decodes back to the same report")
    func json() throws {
        let report = Self.report()
        let text = report.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["total_tests"] as? Int == 9)
        #expect(summary["error_tests"] as? Int == 1)
        let results = try #require(object["test_results"] as? [[String: Any]])
        #expect(results.first?["test_name"] as? String == "test_01_health_endpoint_response")
        #expect(results.first?["status"] as? String == "PASS")
        #expect(results.first?["description"] as? String == "Test that health endpoint responds correctly")
        #expect(results.first?["started_at"] as? String == "2025-03-01T10:00:00.250Z")
        let decoded = try JSONDecoder().decode(TestSuiteReport.self, from: Data(text.utf8))
        #expect(decoded == report)
    }

    @Test("shares of a concurrent check are judged together: 3 + 2 load requests, one failing, fail at 80 %")
    func combiningShares() throws {
        let settings = CheckSettings()
        func share(_ index: Int, failing: Set<Int>, agent: String, start: Double) throws -> CheckOutcome {
            let share = try CheckShare(index: index, count: 2)
            let samples = share.requestIDs(total: 5).map { id in
                CheckRequestSample(
                    requestID: id, result: failing.contains(id) ? .failed : .succeeded,
                    httpStatus: failing.contains(id) ? 500 : 200, startOffsetMs: 0, durationMs: 100,
                    detail: failing.contains(id) ? "HTTP 500" : nil)
            }
            let verdict = CheckEvaluator.loadHandling(
                samples, requestIDs: share.requestIDs(total: 5), settings.loadHandling)
            return CheckOutcome(check: .loadHandling, verdict: verdict,
                                startedAt: CheckFixtures.started.addingTimeInterval(start), durationSeconds: 0.1,
                                share: share, agent: agent)
        }
        let first = try share(0, failing: [], agent: "agent-1", start: 0)
        let second = try share(1, failing: [3], agent: "agent-2", start: 0.05)
        #expect(first.status == .pass && second.status == .fail)
        let combined = CheckOutcome.combining(shares: [second, first], kind: .loadHandling, settings: settings)
        #expect(combined.status == .fail)
        #expect(combined.samples.map(\.requestID) == [0, 1, 2, 3, 4])
        #expect(combined.reason?.contains("request 3 from agent-2: HTTP 500") == true)
        #expect(abs(combined.durationSeconds - 0.15) < 1e-6)
        #expect(combined.measurements.first { $0.name == "peak_in_flight" }?.measured == "5")
        #expect(combined.share == nil)

        let lost = CheckOutcome.combining(shares: [first], kind: .loadHandling, settings: settings)
        #expect(lost.status == .error, "the requests of the missing share have no result")
        #expect(lost.reason?.contains("request ids 1, 3") == true)
    }
}
