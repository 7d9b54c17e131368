import ArgumentParser
import BenchStore
import Foundation

/// `mmmbench report`: write the reports of a collection from its database.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write baseline_report.md, baseline_metrics.json and baseline_metrics.csv from a database.",
        discussion: "Works at any time, also while a collection is still running (it reads a consistent snapshot)."
    )

    @Option(help: "SQLite database of the collection.")
    var db: String

    @Option(help: "Directory to write the reports into (created if missing).")
    var out: String

    func run() async throws {
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no database at \(db)")
        }
        let output = try ReportWriter(store: BenchStore(path: db)).write(to: out)
        for file in output.files { print(file) }
    }
}
