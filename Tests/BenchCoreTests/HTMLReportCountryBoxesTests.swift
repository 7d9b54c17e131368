import BenchCore
import Foundation
import Testing

/// The "Duration by country" box plot of a plan with many countries (a one-day plan of 20,000 jobs has thousands):
/// at most 24 boxes, the countries with the highest median, and a note saying how many were left out.
@Suite("HTML report: the by-country chart of many countries")
struct HTMLReportCountryBoxesTests {
    typealias T = HTMLReportTests

    /// Two successful jobs of `country`, their median `seconds`.
    static func metrics(_ country: String, seconds: Double, index: Int) -> [BaselineMetric] {
        [seconds - 1, seconds + 1].enumerated().map { offset, value in
            let job = JobSpec(id: "j-\(country)-\(offset)", ordinal: 2 * index + offset, day: 1, configIndex: 1,
                              country: country, jobType: "small", iterations: 50, trials: 2)
            return .success(job: job, startedAt: HTMLReportFixture.start, durationMs: value * 1000, httpStatus: 200,
                            attempt: 1, agent: "agent-1", costModel: CostModel())
        }
    }

    /// `medians[i]` is the median of country `k<i>` (two digits).
    static func report(_ medians: [Double]) -> BaselineReport {
        let metrics = medians.enumerated().flatMap { index, median in
            Self.metrics(String(format: "k%02d", index), seconds: median, index: index)
        }
        return BaselineReport(metrics: metrics, plannedJobs: metrics.count)
    }

    static func drawnLabels(_ html: String) throws -> [String] {
        let chart = try T.chart("box-country", in: html)
        return chart.matches(of: try Regex(#"<g class="group[^"]*" data-label="([^"]*)""#)).map {
            String($0.output[1].substring ?? "")
        }
    }

    @Test("40 countries: the 24 with the highest median are drawn, in name order, and the page says so")
    func highestMedians() throws {
        // Country i's median is 100 + (17 i mod 40) s: the ranking differs from the name order.
        let medians = (0..<40).map { 100 + Double((17 * $0) % 40) }
        var input = HTMLReportFixture.input()
        input.report = Self.report(medians)
        let html = HTMLReport(input: input).render()
        let expected = (0..<40).filter { medians[$0] >= 116 }.map { String(format: "k%02d", $0) }
        #expect(expected.count == 24)
        #expect(try Self.drawnLabels(html) == expected)
        #expect(html.contains("The 24 of 40 countries with the highest median duration, in name order"))
        #expect(T.occurrences(of: "<rect class=\"box\"", in: try T.chart("box-job-type", in: html)) == 1)
    }

    @Test("equal medians: the first countries by name are drawn")
    func tiesByName() throws {
        var input = HTMLReportFixture.input()
        input.report = Self.report(Array(repeating: 100, count: 30))
        #expect(try Self.drawnLabels(HTMLReport(input: input).render()) == (0..<24).map { String(format: "k%02d", $0) })
    }

    @Test("24 countries or fewer: every one is drawn and nothing is said")
    func underTheLimit() throws {
        var input = HTMLReportFixture.input()
        input.report = Self.report((0..<24).map { 100 + Double($0) })
        let html = HTMLReport(input: input).render()
        #expect(try Self.drawnLabels(html).count == 24)
        #expect(!html.contains("countries with the highest median"))
        #expect(!HTMLReport(input: HTMLReportFixture.input()).render().contains("countries with the highest median"))
    }

    @Test("an A/B collection: 12 countries, two boxes each, ranked by the higher median of the two sides")
    func bothSides() throws {
        // Baseline medians rise with the index, the candidate's fall: the highest of the two ranks both ends first.
        var input = HTMLReportFixture.input()
        input.report = Self.report((0..<30).map { 100 + Double($0) })
        input.candidate = Self.report((0..<30).map { 100 + Double(29 - $0) * 1.5 })
        let html = HTMLReport(input: input).render()
        let higher: [Double] = (0..<30).map { index in
            let baseline = 100 + Double(index)
            let candidate = 100 + Double(29 - index) * 1.5
            return max(baseline, candidate)
        }
        let threshold = higher.sorted(by: >)[11]
        let expected = (0..<30).filter { higher[$0] >= threshold }.map { String(format: "k%02d", $0) }
        #expect(expected.count == 12)
        let labels = try Self.drawnLabels(html)
        #expect(labels == expected.flatMap { [$0, $0] })
        #expect(html.contains("The 12 of 30 countries with the highest median duration (of either side)"))
    }
}
