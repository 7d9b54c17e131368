import Foundation

/// A forest plot drawn as inline SVG: one row per estimate (overall first, then each job type), a dot at the
/// estimate and a horizontal line over its interval, drawn against a dashed target line and a solid reference line
/// (no change).
///
/// Structure a test (or a browser) can count: `<svg class="chart forest-plot">`, a `<line class="target-line">` when
/// the target is set, a `<line class="reference-line">` when there is a reference, and per row a
/// `<g class="row …" data-label="…">` with one `<line class="interval">` and one `<circle class="estimate">` (none
/// when the row has no estimate). A row's class says where its interval lies against the target: `meets` (all of it
/// on the required side), `misses` (all of it on the other side), `straddles`, or `untargeted`.
struct SVGForestPlot {
    struct Row {
        let label: String
        /// The estimate and its interval, in the panel's unit; nil when it could not be computed.
        let estimate: Double?
        let lower: Double?
        let upper: Double?
        /// Printed right of the plot, e.g. `-42.1 % [-47.0 %, -36.9 %]`.
        let text: String
    }

    /// Which side of the target is the required one.
    enum Direction {
        /// The whole interval at or below the target (a change that must be a decrease of at least so much).
        case atMost
        /// The whole interval at or above the target (a rate that must be at least so much).
        case atLeast
    }

    let id: String
    let title: String
    /// Axis label, e.g. `change in duration (%)`.
    let axisLabel: String
    let rows: [Row]
    let target: Double?
    let direction: Direction
    /// The value of "no change" (0 for a change in %), or nil.
    let reference: Double?

    private let width = 760.0
    private let labelWidth = 110.0
    private let textWidth = 240.0
    private let rowHeight = 24.0
    private let top = 22.0
    private let bottom = 34.0

    /// Where a row's interval lies against the target: the class of its `<g>`.
    func placement(_ row: Row) -> String {
        guard let target else { return "untargeted" }
        guard let lower = row.lower, let upper = row.upper else { return "straddles" }
        // The rule the verdict judges a target by (``TargetJudge``).
        let outcome = direction == .atMost
            ? TargetJudge.outcomeAtMost(target, lower: lower, upper: upper)
            : TargetJudge.outcomeAtLeast(target, lower: lower, upper: upper)
        switch outcome {
        case .pass: return "meets"
        case .fail: return "misses"
        case .inconclusive: return "straddles"
        }
    }

    func render() -> HTMLFragment {
        let plotLeft = labelWidth
        let plotRight = width - textWidth
        let height = top + rowHeight * Double(max(rows.count, 1)) + bottom
        let values = rows.flatMap { [$0.estimate, $0.lower, $0.upper].compactMap { $0 } } + [target, reference]
            .compactMap { $0 }
        let range = LinearRange(values: values.filter(\.isFinite), pixels: plotRight - plotLeft)
        let x = { (value: Double) in plotLeft + range.position(value) }
        let plotBottom = top + rowHeight * Double(max(rows.count, 1))
        var svg = "<svg class=\"chart forest-plot\" id=\"\(HTMLFragment.escape(id))\" role=\"img\" "
        svg += "viewBox=\"0 0 \(px(width)) \(px(height))\" aria-label=\"\(HTMLFragment.escape(title))\">"
        svg += HTMLFragment.element("title", text: title).html
        svg += "<g class=\"axis\">"
        for tick in range.ticks {
            let xx = px(x(tick))
            svg += "<line class=\"grid\" x1=\"\(xx)\" x2=\"\(xx)\" y1=\"\(px(top))\" y2=\"\(px(plotBottom))\"/>"
            svg += "<text class=\"tick\" x=\"\(xx)\" y=\"\(px(plotBottom + 14))\" text-anchor=\"middle\">"
            svg += "\(DurationUnit.number(tick))</text>"
        }
        svg += "<text class=\"axis-label\" x=\"\(px((plotLeft + plotRight) / 2))\" y=\"\(px(plotBottom + 29))\" "
        svg += "text-anchor=\"middle\">\(HTMLFragment.escape(axisLabel))</text></g>"
        if let reference {
            let xx = px(x(reference))
            svg += "<line class=\"reference-line\" x1=\"\(xx)\" x2=\"\(xx)\" y1=\"\(px(top - 4))\" "
            svg += "y2=\"\(px(plotBottom))\"/>"
        }
        if let target {
            let xx = px(x(target))
            let sign = direction == .atMost ? "≤" : "≥"
            svg += "<line class=\"target-line\" x1=\"\(xx)\" x2=\"\(xx)\" y1=\"\(px(top - 4))\" "
            svg += "y2=\"\(px(plotBottom))\"><title>target \(sign) \(DurationUnit.number(target))</title></line>"
            svg += "<text class=\"target-label\" x=\"\(xx)\" y=\"\(px(top - 8))\" text-anchor=\"middle\">"
            svg += "target \(sign) \(HTMLFragment.escape(DurationUnit.number(target)))</text>"
        }
        for (index, row) in rows.enumerated() {
            let y = top + rowHeight * (Double(index) + 0.5)
            svg += "<g class=\"row \(placement(row))\" data-label=\"\(HTMLFragment.escape(row.label))\">"
            svg += "<text class=\"row-label\" x=\"\(px(plotLeft - 8))\" y=\"\(px(y))\" text-anchor=\"end\" "
            svg += "dy=\"0.32em\">\(HTMLFragment.escape(row.label))</text>"
            if let lower = row.lower, let upper = row.upper {
                svg += "<line class=\"interval\" x1=\"\(px(x(lower)))\" x2=\"\(px(x(upper)))\" y1=\"\(px(y))\" "
                svg += "y2=\"\(px(y))\"/>"
            }
            if let estimate = row.estimate {
                svg += "<circle class=\"estimate\" cx=\"\(px(x(estimate)))\" cy=\"\(px(y))\" "
                svg += "r=\"\(index == 0 ? 5 : 4)\"><title>\(HTMLFragment.escape("\(row.label): \(row.text)"))"
                svg += "</title></circle>"
            }
            svg += "<text class=\"row-value\" x=\"\(px(plotRight + 10))\" y=\"\(px(y))\" dy=\"0.32em\">"
            svg += "\(HTMLFragment.escape(row.text))</text></g>"
        }
        svg += "</svg>"
        return HTMLFragment(markup: svg)
    }
}

/// A linear map from a data range (widened to nice tick values, 1, 2 or 5 times a power of ten) to pixels.
struct LinearRange {
    let minimum: Double
    let maximum: Double
    let pixels: Double
    let ticks: [Double]

    init(values: [Double], pixels: Double, tickCount: Int = 6) {
        var low = values.min() ?? -1
        var high = values.max() ?? 1
        if high - low < 1e-9 {
            low -= 1
            high += 1
        }
        let rough = (high - low) / Double(max(tickCount, 1))
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        let first = floor(low / step)
        let count = max(Int((ceil(high / step) - first).rounded()), 1)
        minimum = first * step
        maximum = (first + Double(count)) * step
        self.pixels = pixels
        // Each tick an integer times the step, so zero is exactly 0 (never -0.0 or 1e-17).
        ticks = (0...count).map { (first + Double($0)) * step + 0 }
    }

    /// The pixel offset of `value` from the left end, clamped to the range.
    func position(_ value: Double) -> Double {
        guard value.isFinite, maximum > minimum else { return 0 }
        return min(max((value - minimum) / (maximum - minimum), 0), 1) * pixels
    }
}
