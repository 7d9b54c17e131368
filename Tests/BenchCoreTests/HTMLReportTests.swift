import BenchCore
import Foundation
import Testing

/// The HTML report's structure, escaping and self-containment, on ``HTMLReportFixture``.
@Suite("HTML report")
struct HTMLReportTests {
    static func occurrences(of needle: String, in text: some StringProtocol) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The markup of the `<svg>` with this id.
    static func chart(_ id: String, in html: String) throws -> Substring {
        let start = try #require(html.range(of: "id=\"\(id)\""), "no chart \(id)")
        let end = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
        return html[start.lowerBound..<end.upperBound]
    }

    @Test("one box per job type and per country, every successful job a point, the outlier marked")
    func boxPlots() throws {
        let html = HTMLReport(input: HTMLReportFixture.input()).render()
        let byType = try Self.chart("box-job-type", in: html)
        #expect(Self.occurrences(of: "<rect class=\"box\"", in: byType) == 3)
        let successful = HTMLReportFixture.jobs.filter(\.success).count
        #expect(Self.occurrences(of: "<circle class=\"point", in: byType) == successful)
        #expect(Self.occurrences(of: "<circle class=\"point outlier\"", in: byType) == 1)
        #expect(byType.contains("data-label=\"medium\" data-count=\"6\""))
        let byCountry = try Self.chart("box-country", in: html)
        #expect(Self.occurrences(of: "<rect class=\"box\"", in: byCountry) == 2)
    }

    @Test("one bar per attempt in the timeline, the expired and re-dispatched attempts marked")
    func timelineBars() throws {
        let input = HTMLReportFixture.input()
        let timeline = try Self.chart("timeline-chart", in: HTMLReport(input: input).render())
        #expect(Self.occurrences(of: "<rect class=\"attempt ", in: timeline) == input.attempts.count)
        #expect(Self.occurrences(of: "<rect class=\"attempt expired\"", in: timeline) == 1)
        #expect(Self.occurrences(of: "<rect class=\"attempt succeeded redispatch\"", in: timeline) == 1)
        #expect(Self.occurrences(of: "<rect class=\"attempt failed\"", in: timeline) == 2)
        #expect(Self.occurrences(of: "<g class=\"lane\"", in: timeline) == 3)
        // Day 2 starts four hours after day 1: the idle stretch is a labelled band, and both days are marked.
        #expect(Self.occurrences(of: "<g class=\"gap\">", in: timeline) == 1)
        // Last job of day 1 (index 11) ends at 132 s + 1.6 s; day 2's first (index 3) starts at 14,400 s + 36 s.
        #expect(timeline.contains(String(format: ">idle %.2f h</text>", (14_436 - 133.6) / 3600)))
        #expect(Self.occurrences(of: "<g class=\"day\">", in: timeline) == 2)
    }

    @Test("one bar per job type in the cost chart, with the type's summed cost")
    func costBars() throws {
        let input = HTMLReportFixture.input()
        let chart = try Self.chart("bar-cost", in: HTMLReport(input: input).render())
        #expect(Self.occurrences(of: "<rect class=\"bar\"", in: chart) == 3)
        for row in input.report.typeRows() {
            #expect(chart.contains(">\(MoneyFormat.usd(row.costSum)) (mean \(MoneyFormat.usd(row.costMean)) a job"))
        }
    }

    @Test("money keeps three significant digits below a dollar, cents above")
    func money() {
        #expect(MoneyFormat.usd(0.004123) == "$0.00412")
        #expect(MoneyFormat.usd(0.05) == "$0.0500")
        #expect(MoneyFormat.usd(0) == "$0.00")
        #expect(MoneyFormat.usd(12.345) == "$12.35")
    }

    @Test("sub-second jobs are shown in seconds, not as 0.0 minutes")
    func units() throws {
        let html = HTMLReport(input: HTMLReportFixture.input()).render()
        #expect(HTMLReport(input: HTMLReportFixture.input()).durationUnit == .seconds)
        let headline = try #require(html.range(of: "id=\"headline\"")).upperBound
        let cards = html[headline...].prefix(2000)
        let seconds = HTMLReportFixture.jobs.filter(\.success).map(\.seconds).sorted()
        let median = (seconds[5] + seconds[6]) / 2  // 12 successful jobs: (0.80 + 0.81) / 2 s
        #expect(cards.contains(String(format: ">Median job</div><div class=\"value\">%.2f s</div>", median)))
        #expect(cards.contains(">Jobs measured</div><div class=\"value\">14</div><div class=\"sub\">of 18 planned"))
    }

    @Test("every string from the database is escaped: no tag can be injected")
    func escaping() throws {
        let html = HTMLReport(input: HTMLReportFixture.input(testSuites: [HTMLReportFixture.suite()])).render()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>de</b>"))
        #expect(html.contains("&lt;script&gt;alert(&apos;pwned&apos;)&lt;/script&gt; &amp; &quot;quoted&quot;"))
        #expect(html.contains("agent&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("c-&lt;fixture&gt;"))
        #expect(html.contains("memory usage &lt;0.2 %&gt; is not above 10.0 %"))
    }

    @Test("self-contained: no script, stylesheet, font or image loaded from anywhere")
    func selfContained() throws {
        let html = HTMLReport(input: HTMLReportFixture.input(testSuites: [HTMLReportFixture.suite()])).render()
        // URLs may appear as text (the trainer's address), never as something to load or follow.
        #expect(html.contains("http://127.0.0.1:8080"))
        // Tags and their attributes (values are quoted and escaped, so a quote never ends one early).
        let tags = html.matches(of: try Regex(#"<([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>"#))
        let attribute = try Regex(#"([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*"([^"]*)""#)
        let forbiddenTags: Set = ["script", "link", "iframe", "object", "embed", "img", "image", "use", "base"]
        let loadingAttributes: Set = ["src", "href", "xlink:href", "srcset", "action", "formaction", "poster"]
        for tag in tags {
            let name = (tag.output[1].substring ?? "").lowercased()
            #expect(!forbiddenTags.contains(name), "tag <\(name)>")
            for match in (tag.output[2].substring ?? "").matches(of: attribute) {
                let key = (match.output[1].substring ?? "").lowercased()
                let value = (match.output[2].substring ?? "").lowercased()
                #expect(!loadingAttributes.contains(key) && !key.hasPrefix("on"), "<\(name) \(key)=\"\(value)\">")
                #expect(!value.contains("url("), "<\(name) \(key)=\"\(value)\">")
            }
        }
        #expect(tags.count > 100)
        let style = try #require(html.firstMatch(of: try Regex(#"<style>([^<]*)</style>"#)))
        let css = (style.output[1].substring ?? "").lowercased()
        #expect(!css.contains("url(") && !css.contains("@import") && !css.contains("@font-face"))
        #expect(html.contains("@media print"))
    }

    @Test("the test suite's outcomes with their measured values and thresholds")
    func testSuite() throws {
        let html = HTMLReport(input: HTMLReportFixture.input(testSuites: [HTMLReportFixture.suite()])).render()
        let start = try #require(html.range(of: "id=\"test-suite\""))
        let section = html[start.upperBound...].prefix { _ in true }
        #expect(section.contains("<span class=\"badge FAIL\">FAIL</span>"))
        #expect(section.contains("<code>memory_usage</code></td><td class=\"num\">0.20 %</td>"
            + "<td class=\"num\">&gt; 10.0 %</td><td><span class=\"met-no\">no</span>"))
        #expect(!HTMLReport(input: HTMLReportFixture.input()).render().contains("id=\"test-suite\""))
    }

    @Test("a large collection's timeline is aggregated: columns per agent, failures still drawn one by one")
    func aggregatedTimeline() throws {
        var attempts: [AttemptSpan] = []
        let start = HTMLReportFixture.start
        for index in 0..<6000 {
            let outcome: AttemptSpan.Outcome = index % 500 == 0 ? .failed : .succeeded
            let begin = start.addingTimeInterval(Double(index) * 2)
            attempts.append(AttemptSpan(jobID: "job-\(index)", attempt: 1, agent: "agent-\(index % 4)",
                                        jobType: "small", day: 1, start: begin, end: begin.addingTimeInterval(7),
                                        outcome: outcome))
        }
        var input = HTMLReportFixture.input()
        input.attempts = attempts
        let timeline = try Self.chart("timeline-chart", in: HTMLReport(input: input).render())
        #expect(Self.occurrences(of: "<rect class=\"attempt ", in: timeline) == 12)
        #expect(Self.occurrences(of: "<g class=\"lane\"", in: timeline) == 4)
        // The columns account for every attempt.
        let counts = timeline.matches(of: try Regex(#"class="attempt-bin" data-count="(\d+)""#)).compactMap {
            Int($0.output[1].substring ?? "")
        }
        #expect(counts.reduce(0, +) == attempts.count)
        #expect(counts.count < 4 * 300)
    }
}

@Suite("Modified z-score and duration units")
struct ModifiedZScoreTests {
    @Test("an outlier by MAD, and by the mean absolute deviation when MAD is zero")
    func outliers() {
        // median 12.5, MAD 1.5: M(100) = 0.6745 * 87.5 / 1.5 = 39.3; M(10) = -1.12.
        #expect(ModifiedZScore.outliers([10, 11, 12, 13, 14, 100]) == [false, false, false, false, false, true])
        let scores = ModifiedZScore.scores([10, 11, 12, 13, 14, 100])
        #expect(abs(scores[5] - 39.345833) < 1e-4)
        // MAD 0: mean absolute deviation 1.8, M(10) = 9 / (1.253314 * 1.8) = 3.99.
        #expect(ModifiedZScore.outliers([1, 1, 1, 1, 10]) == [false, false, false, false, true])
        #expect(ModifiedZScore.outliers([5, 5, 5]) == [false, false, false])
        #expect(ModifiedZScore.outliers([]) == [])
    }

    @Test("the inlier range marks the same values as the scores", arguments: [
        [10.0, 11, 12, 13, 14, 100], [1, 1, 1, 1, 10], [5, 5, 5], [0.4, 0.41, 0.42, 0.8, 0.81, 9, 1.6, -3],
    ])
    func inlierRange(values: [Double]) {
        let range = ModifiedZScore.inlierRange(sorted: values.sorted())
        #expect(values.map { value in range.map { !$0.contains(value) } ?? false } == ModifiedZScore.outliers(values))
    }

    @Test("seconds under two minutes, minutes up to two hours, hours beyond")
    func unitChoice() {
        #expect(DurationUnit.suiting(minutes: [0.01, 0.02, 0.5]) == .seconds)
        #expect(DurationUnit.suiting(minutes: [3, 40, 50]) == .minutes)
        #expect(DurationUnit.suiting(minutes: [150, 200]) == .hours)
        #expect(DurationUnit.seconds.format(minutes: 0.0068) == "0.41 s")
        #expect(DurationUnit.hours.format(minutes: 240) == "4.00 h")
    }
}
