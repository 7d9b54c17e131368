import Foundation

/// A horizontal bar chart drawn as inline SVG: one `<rect class="bar">` per row, its label on the left and its
/// value (with whatever detail the caller gives) at the end of the bar.
struct SVGBarChart {
    struct Row {
        let label: String
        let value: Double
        /// Printed after the bar, e.g. `$1.24 (mean $0.041 a job)`.
        let text: String
    }

    let id: String
    let title: String
    let rows: [Row]

    private let width = 760.0
    private let labelWidth = 150.0
    private let textWidth = 230.0
    private let rowHeight = 26.0

    func render() -> HTMLFragment {
        let height = rowHeight * Double(max(rows.count, 1)) + 12
        let scale = ChartScale(maximum: rows.map(\.value).max() ?? 1, pixels: width - labelWidth - textWidth)
        var svg = "<svg class=\"chart bar-chart\" id=\"\(HTMLFragment.escape(id))\" role=\"img\" "
        svg += "viewBox=\"0 0 \(px(width)) \(px(height))\" aria-label=\"\(HTMLFragment.escape(title))\">"
        svg += HTMLFragment.element("title", text: title).html
        for (index, row) in rows.enumerated() {
            let y = 6 + rowHeight * Double(index)
            let length = max(scale.position(row.value), row.value > 0 ? 1 : 0)
            svg += "<g class=\"row\" data-label=\"\(HTMLFragment.escape(row.label))\">"
            svg += "<text class=\"bar-label\" x=\"\(px(labelWidth - 8))\" y=\"\(px(y + rowHeight / 2))\" "
            svg += "text-anchor=\"end\" dy=\"0.32em\">\(HTMLFragment.escape(row.label))</text>"
            svg += "<rect class=\"bar\" x=\"\(px(labelWidth))\" y=\"\(px(y + 4))\" width=\"\(px(length))\" "
            svg += "height=\"\(px(rowHeight - 8))\"/>"
            svg += "<text class=\"bar-value\" x=\"\(px(labelWidth + length + 6))\" y=\"\(px(y + rowHeight / 2))\" "
            svg += "dy=\"0.32em\">\(HTMLFragment.escape(row.text))</text></g>"
        }
        svg += "</svg>"
        return HTMLFragment(markup: svg)
    }
}
