import ArgumentParser
import BenchStore
import Foundation

/// `mmmbench report`: write the reports of a collection from its database.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write baseline_report.md/.html, baseline_metrics.json and baseline_metrics.csv from a database.",
        discussion: """
            Works at any time, also while a collection is still running (it reads a consistent snapshot). When the \
            database holds optimization test suite runs (a collection's checks.run, or mmmbench test-suite --db), \
            the newest run of each phase is written too: test_report_before/after.md, .junit.xml, .json \
            (test_report.* for a standalone run). A database with suite runs but no collection gets only those.
            """
    )

    @Option(help: "SQLite database of the collection.")
    var db: String

    @Option(help: "Directory to write the reports into (created if missing).")
    var out: String

    @Option(help: "Formats to write, comma-separated: md, json, csv, junit, html (default: all of them).")
    var format: String?

    /// The formats `--format` names (every format without it).
    var formats: Set<ReportFormat> {
        get throws(ReportFormatError) {
            guard let format else { return ReportFormat.all }
            return try ReportFormat.parseList(format)
        }
    }

    func validate() throws {
        do {
            _ = try formats
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no database at \(db)")
        }
        let store = try BenchStore(path: db)
        guard try store.currentCollection() == nil else {
            let output = try ReportWriter(store: store).write(to: out, formats: formats)
            for file in output.files { print(file) }
            return
        }
        let files = try ReportWriter(store: store).writeTestReports(to: out, collectionID: nil, formats: formats)
        guard !files.isEmpty else {
            throw ValidationError("\(db) holds no collection and no test suite run: nothing to report")
        }
        for file in files { print(file) }
        FileHandle.standardError.write(Data(
            "no baseline collection in \(db): wrote the test reports of its standalone suite runs only\n".utf8))
    }
}
