import Foundation
import Testing

/// Examples and tables of docs/operations.md that tests check against the running programs.
enum OperationsDocs {
    static func text() throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/operations.md")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The text of the section under `heading` (up to the next heading of the same or a higher level).
    static func section(_ heading: String) throws -> String {
        let text = try text()
        let start = try #require(text.range(of: heading + "\n"), "docs/operations.md has no '\(heading)'")
        let rest = text[start.upperBound...]
        let level = heading.prefix { $0 == "#" }.count
        let next = rest.range(of: "\n" + String(repeating: "#", count: level) + " ")
            ?? rest.range(of: "\n" + String(repeating: "#", count: max(1, level - 1)) + " ")
        return String(rest[..<(next?.lowerBound ?? rest.endIndex)])
    }

    /// `metric name → type` from the rows of the section's metrics table (`| \`name\` | type | ...`).
    static func metricTable(_ heading: String) throws -> [String: String] {
        var table: [String: String] = [:]
        for line in try section(heading).split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else { continue }
            table[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells[1]
        }
        return table
    }

    /// The body of the first fenced block of `language` in the section.
    static func fencedBlock(_ heading: String, language: String) throws -> String {
        let section = try section(heading)
        let start = try #require(section.range(of: "```\(language)\n"), "no ```\(language) block under \(heading)")
        let end = try #require(section.range(of: "\n```", range: start.upperBound..<section.endIndex))
        return String(section[start.upperBound..<end.lowerBound])
    }
}
