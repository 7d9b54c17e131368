@testable import BenchCore
import Foundation
import Testing

/// A box plot of a group far larger than the points it draws (10^6 jobs of one type in a big collection): the
/// box, whiskers and counts come from every value, the points drawn are every k-th inlier plus the most extreme
/// outliers of both ends, and the page says how many of each there are.
@Suite("HTML report: box plots of many points")
struct BoxPlotManyPointsTests {
    /// 100,000 inliers between 10 and 20 minutes, 500 low outliers near 0 and 3,000 high ones from 1,000 up.
    static let values: [Double] = (0..<100_000).map { 10 + Double($0 % 1_000) / 100 }
        + (0..<500).map { Double($0) / 1_000 } + (0..<3_000).map { 1_000 + Double($0) }

    static func attribute(_ name: String, in svg: String) throws -> Int {
        let start = try #require(svg.range(of: "\(name)=\""))
        let digits = svg[start.upperBound...].prefix { $0.isNumber }
        return try #require(Int(digits))
    }

    @Test("at most maxPoints + maxOutliers points; counts, quartiles and the extremes from every value")
    func manyPoints() throws {
        let group = SVGBoxPlot.Group(label: "small", minutes: Self.values.shuffled())
        let plot = SVGBoxPlot(id: "many", title: "many", groups: [group], unit: .minutes)
        let svg = plot.render().html
        let circles = HTMLReportTests.occurrences(of: "<circle class=\"point", in: svg)
        let outliers = HTMLReportTests.occurrences(of: "<circle class=\"point outlier\"", in: svg)
        #expect(circles <= plot.maxPoints + plot.maxOutliers)
        #expect(circles > plot.maxPoints / 2)
        #expect(outliers == plot.maxOutliers)
        #expect(try Self.attribute("data-points-shown", in: svg) == circles)
        #expect(try Self.attribute("data-count", in: svg) == Self.values.count)
        #expect(try Self.attribute("data-outliers", in: svg) == 3_500)
        // The most extreme value of each end is drawn, and the box states the quartiles of all 103,500 values.
        #expect(svg.contains("<title>outlier: \(DurationUnit.number(3_999)) min</title>"))
        #expect(svg.contains("<title>outlier: \(DurationUnit.number(0)) min</title>"))
        let sorted = Self.values.sorted()
        let q1 = DurationUnit.number(SummaryStatistics.percentile(sorted, 25))
        let median = DurationUnit.number(SummaryStatistics.percentile(sorted, 50))
        let q3 = DurationUnit.number(SummaryStatistics.percentile(sorted, 75))
        #expect(svg.contains("small: median \(median) min, quartiles \(q1)–\(q3) min, n = 103500"))
    }

    @Test("the outliers shown: half from each end, what one end lacks to the other, all of them when few")
    func outlierShare() {
        let plot = SVGBoxPlot(id: "p", title: "p", groups: [], unit: .minutes)
        let inliers = (0..<5_000).map { 100 + Double($0 % 100) / 10 }
        for (low, high, shownLow, shownHigh) in [(500, 3_000, 100, 100), (20, 3_000, 20, 180), (3_000, 7, 193, 7),
                                                 (30, 40, 30, 40), (0, 0, 0, 0)] {
            let sorted = ((0..<low).map { Double($0) / 1_000 } + inliers + (0..<high).map { 1_000 + Double($0) })
                .sorted()
            let range = ModifiedZScore.inlierRange(sorted: sorted)
            let shown = plot.shownPoints(sorted: sorted) { value in range.map { !$0.contains(value) } ?? false }
            #expect(shown.filter { $0 < low }.count == shownLow, "\(low) low, \(high) high")
            #expect(shown.filter { $0 >= sorted.count - high }.count == shownHigh, "\(low) low, \(high) high")
            #expect(shown == shown.sorted() && Set(shown).count == shown.count)
            #expect(shown.filter { $0 < low }.allSatisfy { $0 < shownLow }, "the lowest drawn first")
        }
    }
}
