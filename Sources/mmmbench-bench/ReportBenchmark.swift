import ArgumentParser
import BenchCore
import BenchStore
import Foundation

/// `mmmbench-bench report`: seconds and peak memory of `mmmbench report` (every format it writes by default: md,
/// json, csv, html, plus test reports when there are suite runs) on a real database of `--results` results, built
/// the way `html-report --process` builds it (``HTMLReportDatabase``). Timed twice: in this process
/// (`ReportWriter.write`, what `mmmbench report` calls) and as a separate release `mmmbench report` process.
struct ReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Seconds and peak RSS of `mmmbench report` (all formats) on a database of N results "
            + "(goal: 10^6 results <= 2 s)."
    )

    @Option(help: "Counted results (jobs) in the collection.")
    var results = 1_000_000

    @Option(help: "Agents the attempts are spread over.")
    var agents = 12

    @Option(help: "The database to report on, built with --results results if missing (and kept).")
    var db: String?

    @Option(help: "Formats, comma-separated (default: every format, as `mmmbench report` without --format).")
    var format: String?

    @Option(help: "The release mmmbench to time as a child process (skipped when missing).")
    var mmmbench = ".build/release/mmmbench"

    @Option(help: "How many times to run each way.")
    var runs = 3

    @Flag(help: "Only the in-process timing.")
    var inProcessOnly = false

    func validate() throws {
        guard results > 0, agents > 0, runs > 0 else {
            throw ValidationError("--results, --agents and --runs must be positive")
        }
        if let format {
            do { _ = try ReportFormat.parseList(format) } catch { throw ValidationError(error.description) }
        }
    }

    func run() async throws {
        let formats = try format.map { try ReportFormat.parseList($0) } ?? ReportFormat.all
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-report-\(ProcessInfo.processInfo.processIdentifier)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let path = db ?? scratch + "/collection.sqlite"
        if !FileManager.default.fileExists(atPath: path) {
            var last = 0
            let elapsed = try ContinuousClock().measure {
                _ = try HTMLReportDatabase.build(path: path, results: results, agents: agents) { written in
                    if written - last >= 100_000 || written == results {
                        print("  database: \(written) of \(results) results committed")
                        last = written
                    }
                }
            }
            print(String(format: "built %@ (%d results) in %.1f s", path, results,
                         HTMLReportProcessBenchmark.seconds(elapsed)))
        }
        var inProcess: [Double] = []
        for run in 1...runs {
            let out = scratch + "/in-process-\(run)"
            let store = try BenchStore(path: path)
            let begin = ContinuousClock.now
            let output = try ReportWriter(store: store).write(to: out, formats: formats)
            let wall = HTMLReportProcessBenchmark.seconds(ContinuousClock.now - begin)
            store.close()
            inProcess.append(wall)
            print(String(format: "report in-process run %d: %.3f s wall, %d files, %.1f MB written, peak RSS %.1f MiB "
                + "(this process so far)", run, wall, output.files.count, Double(Self.bytes(output.files)) / 1e6,
                Double(Self.selfPeakRSSKiB()) / 1024))
            try? FileManager.default.removeItem(atPath: out)
        }
        print(String(format: "report in-process: median %.3f s over %d runs", Self.median(inProcess), runs))
        try phases(database: path, scratch: scratch)
        guard !inProcessOnly else { return }
        guard FileManager.default.isExecutableFile(atPath: mmmbench) else {
            print("no \(mmmbench): separate-process timing skipped (swift build -c release --product mmmbench)")
            return
        }
        var separate: [Double] = []
        for run in 1...runs {
            let out = scratch + "/process-\(run)"
            let figures = try await ReportProcessRun.timed(
                mmmbench: mmmbench,
                arguments: ["report", "--db", path, "--out", out] + (format.map { ["--format", $0] } ?? []))
            separate.append(figures.wall)
            print(String(format: "report process run %d: %.3f s wall, %.3f s CPU, peak RSS %.1f MiB", run,
                         figures.wall, figures.cpu, Double(figures.maxRSSKiB) / 1024))
            try? FileManager.default.removeItem(atPath: out)
        }
        print(String(format: "report process (%@): median %.3f s over %d runs (goal: 10^6 results <= 2 s)",
                     mmmbench, Self.median(separate), runs))
    }

    /// One more in-process run, each step timed on its own: where the seconds of a report go.
    private func phases(database: String, scratch: String) throws {
        let store = try BenchStore(path: database)
        defer { store.close() }
        guard let collection = try store.currentCollection() else { return }
        var line: [String] = []
        func step<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let begin = ContinuousClock.now
            let value = try body()
            let seconds = HTMLReportProcessBenchmark.seconds(ContinuousClock.now - begin)
            line.append(String(format: "%@ %.3f s", name, seconds))
            return value
        }
        let metrics = try step("read+decode") { try store.countedMetrics(collectionID: collection.id) }
        let report = BaselineReport(metrics: metrics, plannedJobs: collection.plan.days * collection.plan.jobsPerDay)
        let columns = step("columns") { report.successColumns() }
        _ = step("md") { report.render(columns) }
        let sink = scratch + "/phase-export"
        try step("json") {
            let handle = try Self.truncatedHandle(sink)
            defer { try? handle.close() }
            try MetricsExport.writeSeedJSON(metrics) { try handle.write(contentsOf: $0) }
        }
        try step("csv") {
            let handle = try Self.truncatedHandle(sink)
            defer { try? handle.close() }
            try MetricsExport.writeCSV(metrics) { try handle.write(contentsOf: $0) }
        }
        let attempts = try step("attempts read") { try store.attemptSpans(collectionID: collection.id) }
        _ = try step("html") {
            try ReportWriter(store: store).htmlReport(collection: collection, report: report, attempts: attempts,
                                                      columns: [columns])
        }
        print("report in-process phases (\(metrics.count) results, \(attempts.count) attempts): "
              + line.joined(separator: ", "))
    }

    private static func truncatedHandle(_ path: String) throws -> FileHandle {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    static func bytes(_ files: [String]) -> Int {
        files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
    }

    static func selfPeakRSSKiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
