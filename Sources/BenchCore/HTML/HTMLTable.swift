/// A plain HTML table of text cells (escaped), numeric columns right-aligned (`class="num"`).
enum HTMLTable {
    static func render(_ header: [String], _ rows: [[String]], numeric: ClosedRange<Int>? = nil,
                       id: String? = nil) -> HTMLFragment {
        let isNumeric = { (column: Int) in numeric?.contains(column) ?? false }
        let head = header.enumerated().map { column, text in
            HTMLFragment.element("th", isNumeric(column) ? ["class": "num"] : [:], text: text)
        }.joined()
        let body = rows.map { row in
            HTMLFragment.element("tr", [:], row.enumerated().map { column, text in
                HTMLFragment.element("td", isNumeric(column) ? ["class": "num"] : [:], text: text)
            }.joined())
        }.joined()
        let content = HTMLFragment.element("thead", [:], HTMLFragment.element("tr", [:], head))
            + HTMLFragment.element("tbody", [:], body)
        guard let id else { return HTMLFragment.element("table", [:], content) }
        return HTMLFragment.element("table", ["id": id], content)
    }
}
