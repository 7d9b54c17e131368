import Foundation

/// A box plot drawn as inline SVG: one box per group (quartiles, median, whiskers to the furthest values that are
/// not outliers), every value as a point beside it, outliers (modified z-score > 3.5) marked.
///
/// Structure a test (or a browser) can count: `<svg class="chart box-plot">`, per group a `<g class="group">` with
/// one `<rect class="box">`, a `<line class="median">`, points as `<circle class="point">` (`point outlier` for
/// outliers). Above `maxPoints` values in a group, the points shown are every k-th value of the sorted sample plus
/// the `maxOutliers` most extreme outliers (from both ends), and the group's `data-points-shown` says how many of
/// `data-count`, `data-outliers` how many outliers there are: a group of 10^6 jobs draws at most
/// `maxPoints + maxOutliers` points, its box and whiskers computed from every value.
struct SVGBoxPlot {
    struct Group {
        let label: String
        /// Durations in minutes.
        let minutes: [Double]
        /// The side of an A/B collection (`baseline`, `candidate`): a class of the group, and named under its box.
        var series: String? = nil
    }

    let id: String
    let title: String
    let groups: [Group]
    let unit: DurationUnit
    var maxPoints = 600
    var maxOutliers = 200

    private let width = 760.0
    private let height = 300.0
    private let left = 64.0
    private let right = 16.0
    private let top = 16.0
    private let bottom = 44.0

    func render() -> HTMLFragment {
        let plotHeight = height - top - bottom
        let all = groups.flatMap(\.minutes).map(unit.value(minutes:))
        let scale = ChartScale(maximum: all.max() ?? 1, pixels: plotHeight)
        var svg = "<svg class=\"chart box-plot\" id=\"\(HTMLFragment.escape(id))\" role=\"img\" "
        svg += "viewBox=\"0 0 \(px(width)) \(px(height))\" aria-label=\"\(HTMLFragment.escape(title))\">"
        svg += HTMLFragment.element("title", text: title).html
        svg += axis(scale: scale, plotHeight: plotHeight)
        let column = (width - left - right) / Double(max(groups.count, 1))
        for (index, group) in groups.enumerated() {
            let center = left + column * (Double(index) + 0.5)
            svg += render(group, center: center, column: column, scale: scale, plotHeight: plotHeight)
        }
        svg += "</svg>"
        return HTMLFragment(markup: svg)
    }

    private func y(_ value: Double, _ scale: ChartScale, _ plotHeight: Double) -> Double {
        top + plotHeight - scale.position(value)
    }

    private func axis(scale: ChartScale, plotHeight: Double) -> String {
        var svg = "<g class=\"axis\">"
        for tick in scale.ticks {
            let yy = px(y(tick, scale, plotHeight))
            svg += "<line class=\"grid\" x1=\"\(px(left))\" x2=\"\(px(width - right))\" y1=\"\(yy)\" y2=\"\(yy)\"/>"
            svg += "<text class=\"tick\" x=\"\(px(left - 6))\" y=\"\(yy)\" text-anchor=\"end\" dy=\"0.32em\">"
            svg += "\(DurationUnit.number(tick))</text>"
        }
        let middle = px(top + plotHeight / 2)
        svg += "<text class=\"axis-label\" transform=\"translate(14 \(middle)) rotate(-90)\" text-anchor=\"middle\">"
        svg += "duration (\(unit.symbol))</text></g>"
        return svg
    }

    private func render(_ group: Group, center: Double, column: Double, scale: ChartScale, plotHeight: Double)
        -> String {
        let sorted = group.minutes.map(unit.value(minutes:)).sorted()
        let inliers = ModifiedZScore.inlierRange(sorted: sorted)
        let isOutlier = { (value: Double) in inliers.map { !$0.contains(value) } ?? false }
        let kept = sorted.filter { !isOutlier($0) }
        let outlierCount = sorted.count - kept.count
        let seriesClass = group.series.map { " " + HTMLFragment.escape($0) } ?? ""
        var svg = "<g class=\"group\(seriesClass)\" data-label=\"\(HTMLFragment.escape(group.label))\" "
        svg += "data-count=\"\(sorted.count)\""
        let shown = shownPoints(sorted: sorted, isOutlier: isOutlier)
        svg += " data-points-shown=\"\(shown.count)\" data-outliers=\"\(outlierCount)\">"
        let boxWidth = min(56, column * 0.45)
        if let first = sorted.first, let last = sorted.last {
            let q1 = SummaryStatistics.percentile(sorted, 25)
            let median = SummaryStatistics.percentile(sorted, 50)
            let q3 = SummaryStatistics.percentile(sorted, 75)
            let low = kept.first ?? first
            let high = kept.last ?? last
            let yy = { (value: Double) in px(self.y(value, scale, plotHeight)) }
            let x0 = px(center - boxWidth / 2)
            let x1 = px(center + boxWidth / 2)
            svg += "<line class=\"whisker\" x1=\"\(px(center))\" x2=\"\(px(center))\" y1=\"\(yy(low))\" "
            svg += "y2=\"\(yy(q1))\"/>"
            svg += "<line class=\"whisker\" x1=\"\(px(center))\" x2=\"\(px(center))\" y1=\"\(yy(q3))\" "
            svg += "y2=\"\(yy(high))\"/>"
            for cap in [low, high] {
                svg += "<line class=\"whisker\" x1=\"\(px(center - boxWidth / 4))\" "
                svg += "x2=\"\(px(center + boxWidth / 4))\" "
                svg += "y1=\"\(yy(cap))\" y2=\"\(yy(cap))\"/>"
            }
            let boxTop = y(q3, scale, plotHeight)
            let boxHeight = max(y(q1, scale, plotHeight) - boxTop, 1)
            svg += "<rect class=\"box\" x=\"\(x0)\" y=\"\(px(boxTop))\" width=\"\(px(boxWidth))\" "
            svg += "height=\"\(px(boxHeight))\"><title>"
            svg += HTMLFragment.escape("\(group.label): median \(DurationUnit.number(median)) \(unit.symbol), "
                + "quartiles \(DurationUnit.number(q1))–\(DurationUnit.number(q3)) \(unit.symbol), "
                + "n = \(sorted.count)")
            svg += "</title></rect>"
            svg += "<line class=\"median\" x1=\"\(x0)\" x2=\"\(x1)\" y1=\"\(yy(median))\" y2=\"\(yy(median))\"/>"
        }
        let spread = min(column * 0.4, 70)
        for index in shown {
            let value = sorted[index]
            let outlier = isOutlier(value)
            // A deterministic jitter to the right of the box, so equal values stay visible side by side; mixed
            // (SplitMix64's finaliser) so that every k-th index of a sampled group does not line up in stripes.
            let jitter = Self.jitter(index)
            let cx = center + boxWidth / 2 + 6 + jitter * max(spread - boxWidth / 2 - 6, 4)
            svg += "<circle class=\"point\(outlier ? " outlier" : "")\" cx=\"\(px(cx))\" "
            svg += "cy=\"\(px(y(value, scale, plotHeight)))\" r=\"\(outlier ? 3.5 : 2)\">"
            if outlier {
                svg += "<title>outlier: \(DurationUnit.number(value)) \(unit.symbol)</title>"
            }
            svg += "</circle>"
        }
        svg += "<text class=\"group-label\" x=\"\(px(center))\" y=\"\(px(height - bottom + 18))\" "
        svg += "text-anchor=\"middle\">\(HTMLFragment.escape(group.label))</text>"
        svg += "<text class=\"group-count\" x=\"\(px(center))\" y=\"\(px(height - bottom + 34))\" "
        svg += "text-anchor=\"middle\">\(group.series.map { HTMLFragment.escape($0) + ", " } ?? "")n = \(sorted.count)"
        svg += "</text></g>"
        return svg
    }

    /// A fraction in [0, 1) that looks random and depends only on `index`.
    static func jitter(_ index: Int) -> Double {
        var z = UInt64(truncatingIfNeeded: index) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(UInt64(1) << 53)
    }

    /// Indices (into the sorted sample) of the values drawn as points: all of them up to `maxPoints`; beyond, every
    /// k-th inlier (so the shape stays) and the outliers, up to `maxOutliers` of them, the most extreme first (the
    /// outliers of a sorted sample are its two ends; each end gets half, or what the other end leaves).
    func shownPoints(sorted: [Double], isOutlier: (Double) -> Bool) -> [Int] {
        guard sorted.count > maxPoints else { return Array(sorted.indices) }
        let stride = Int((Double(sorted.count) / Double(maxPoints)).rounded(.up))
        let lowOutliers = sorted.prefix { isOutlier($0) }.count
        let highOutliers = lowOutliers == sorted.count ? 0 : sorted.reversed().prefix { isOutlier($0) }.count
        var lowShown = min(lowOutliers, maxOutliers / 2)
        let highShown = min(highOutliers, maxOutliers - lowShown)
        lowShown = min(lowOutliers, maxOutliers - highShown)
        let inliers = lowOutliers..<(sorted.count - highOutliers)
        return Array(0..<lowShown) + inliers.filter { $0 % stride == 0 }
            + Array((sorted.count - highShown)..<sorted.count)
    }
}
