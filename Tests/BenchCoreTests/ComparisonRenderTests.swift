import BenchCore
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Comparison renderers: markdown, JSON, JUnit, terminal")
struct ComparisonRenderTests {
    typealias F = ComparisonFixtures

    /// Duration passes, success inconclusive (27/27), cost off... and a failing one with a regression.
    static func results() throws -> (inconclusive: ComparisonReport, failing: ComparisonReport) {
        let jobs = F.jobs()
        var targets = ComparisonTargets.seedDefaults
        targets.costChangePercent = nil
        let inconclusive = try Comparison.compare(F.input(F.side(jobs, scale: 1, seed: 1),
                                                          F.side(jobs, scale: 0.5, seed: 2), targets: targets))
        let failing = try Comparison.compare(F.input(F.side(jobs, scale: 1, seed: 1),
                                                     F.side(jobs, scale: 1.4, seed: 2, failing: [3]), targets: targets))
        return (inconclusive, failing)
    }

    @Test("markdown: verdict first, targets, every row in the tables, Holm's correction stated")
    func markdown() throws {
        let (result, _) = try Self.results()
        let text = ComparisonMarkdown.render(result)
        let lines = text.components(separatedBy: "\n")
        #expect(lines[0] == "# Comparison")
        #expect(lines[2] == "**Verdict: INCONCLUSIVE** (exit code 2)")
        #expect(text.contains("| duration | <= -40.0% |"))
        #expect(text.contains("| success rate | >= 95.0% | 100.0% | [87.5%, 100.0%] | inconclusive: about 46 more jobs "
            + "would likely decide |"))
        for row in result.rows {
            #expect(lines.filter { $0.hasPrefix("| \(row.label) |") }.count == 3, "\(row.label) in the three tables")
        }
        #expect(text.contains("p-values are Holm-corrected across the 13 rows of the duration table"))
        #expect(text.contains("| small/fr | 3/3 | 3/3 |"))
        #expect(text.contains("~ ("), "small rows are not significant and say so")
    }

    @Test("JSON: parses, carries verdict and exit code, and its rows decode back to the same values")
    func json() throws {
        let (result, failing) = try Self.results()
        for item in [result, failing] {
            let text = ComparisonJSON.render(item)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(object["verdict"] as? String == item.verdict.rawValue)
            #expect((object["exit_code"] as? NSNumber)?.int32Value == item.verdict.exitCode)
            #expect(object["design"] as? String == "matched-jobs")
            #expect((object["regressions"] as? [String])?.count == item.regressions.count)
            #expect(try ComparisonJSON.decodeRows(text) == item.rows)
            let targets = try #require(object["targets"] as? [String: Any])
            #expect(targets["cost_change_percent"] is NSNull, "a target that is off is null")
        }
    }

    @Test("JUnit: one test case per target plus regressions; failure and skipped as the outcomes; well-formed XML")
    func junit() throws {
        let (inconclusive, failing) = try Self.results()
        let text = ComparisonJUnit.render(inconclusive)
        #expect(text.components(separatedBy: "<testcase ").count - 1 == 3)
        #expect(text.contains("<testsuites name=\"mmmbench compare\" tests=\"3\" failures=\"0\" skipped=\"1\">"))
        let failed = ComparisonJUnit.render(failing)
        #expect(failed.contains("name=\"no significant regression\">\n      <failure message=\"duration of overall"))
        #if canImport(FoundationXML) || os(macOS)
        for document in [text, failed] {
            let xml = try XMLDocument(xmlString: document, options: [])
            let cases = try xml.nodes(forXPath: "/testsuites/testsuite/testcase")
            #expect(cases.count == 3)
            let skipped = try xml.nodes(forXPath: "//testcase/skipped")
            let failures = try xml.nodes(forXPath: "//testcase/failure")
            let root = try #require(xml.rootElement())
            #expect(root.attribute(forName: "skipped")?.stringValue == "\(skipped.count)")
            #expect(root.attribute(forName: "failures")?.stringValue == "\(failures.count)")
        }
        #endif
    }

    @Test("XML special characters in labels and messages are escaped")
    func escaping() throws {
        let jobs = F.jobs()
        var input = F.input(F.side(jobs, scale: 1, seed: 1), F.side(jobs, scale: 0.5, seed: 2))
        input.baseline.label = "a<&>\"'.json"
        let text = ComparisonJUnit.render(try Comparison.compare(input))
        #expect(text.contains("a&lt;&amp;&gt;&quot;&apos;.json"))
        #expect(!text.contains("a<&"))
    }

    @Test("terminal: verdict on the first line, then targets, then overall and per-type rows only")
    func terminal() throws {
        let (_, failing) = try Self.results()
        let text = ComparisonTerminal.render(failing)
        let lines = text.components(separatedBy: "\n")
        #expect(lines[0] == "verdict: FAIL (exit 1)")
        #expect(lines[1].hasPrefix("  duration: fail"))
        #expect(text.contains("regression: duration of overall is significantly longer"))
        #expect(lines.contains { $0.hasPrefix("overall ") })
        #expect(!text.contains("small/fr"))
    }
}
