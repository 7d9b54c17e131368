import Foundation

/// A kind of report file `mmmbench report --format` (and ``ReportWriter``) can write.
public enum ReportFormat: String, Sendable, Hashable, CaseIterable, Comparable {
    /// `baseline_report.md` and the test suite's `test_report*.md`.
    case md
    /// `baseline_metrics.json` (the seed's format) and the test suite's `test_report*.json`.
    case json
    /// `baseline_metrics.csv`.
    case csv
    /// The test suite's `test_report*.junit.xml`.
    case junit
    /// `baseline_report.html`: the self-contained report with charts.
    case html

    /// Every format: what the coordinator, the demo and `mmmbench report` without `--format` write.
    public static let all = Set(allCases)

    public static func < (lhs: ReportFormat, rhs: ReportFormat) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }

    /// Parses a comma-separated list such as `md,html` (spaces allowed, case-insensitive, duplicates ignored).
    public static func parseList(_ text: String) throws(ReportFormatError) -> Set<ReportFormat> {
        var formats: Set<ReportFormat> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let format = ReportFormat(rawValue: name) else {
                throw ReportFormatError(text: text, unknown: name)
            }
            formats.insert(format)
        }
        return formats
    }

    /// Whether a test report file (`test_report*.md`, `.junit.xml`, `.json`) is written in one of `formats`.
    static func includes(testReportFile name: String, in formats: Set<ReportFormat>) -> Bool {
        if name.hasSuffix(".junit.xml") { return formats.contains(.junit) }
        if name.hasSuffix(".md") { return formats.contains(.md) }
        if name.hasSuffix(".json") { return formats.contains(.json) }
        return true
    }
}

/// A `--format` list naming a format that does not exist.
public struct ReportFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let unknown: String

    public var description: String {
        let known = ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")
        let name = unknown.isEmpty ? "an empty name" : "'\(unknown)'"
        return "report format list '\(text)' has \(name): the formats are \(known), separated by commas"
    }
}
