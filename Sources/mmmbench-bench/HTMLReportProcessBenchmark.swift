import Foundation

/// `mmmbench-bench html-report --process`: `mmmbench report --format html` run as the user runs it, a separate
/// (release) process reading a real database, timed from the outside: wall-clock seconds, the child's CPU seconds
/// and peak resident memory (`getrusage` of the waited child), and the size of `baseline_report.html`.
struct HTMLReportProcessBenchmark {
    let mmmbench: String
    /// The database to report on; nil: a new one in a temporary directory.
    let database: String?
    let results: Int
    let agents: Int
    let runs: Int
    /// Where to copy the last report, if anywhere.
    let out: String?

    func run() async throws {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-html-\(ProcessInfo.processInfo.processIdentifier)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let path = database ?? scratch + "/collection.sqlite"
        if !FileManager.default.fileExists(atPath: path) {
            let clock = ContinuousClock()
            var last = 0
            let elapsed = try clock.measure {
                _ = try HTMLReportDatabase.build(path: path, results: results, agents: agents) { written in
                    if written - last >= 20_000 || written == results {
                        print("  database: \(written) of \(results) results committed")
                        last = written
                    }
                }
            }
            print(String(format: "built %@ (%d results, %d agents) in %.1f s", path, results, agents,
                         Self.seconds(elapsed)))
        }
        let size = [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
        print(String(format: "database %@: %.1f MB", path, Double(size) / 1_000_000))
        var walls: [Double] = []
        for run in 1...runs {
            let reportDir = scratch + "/report-\(run)"
            let figures = try await timeReport(database: path, out: reportDir)
            walls.append(figures.wall)
            let html = reportDir + "/baseline_report.html"
            let bytes = (try? FileManager.default.attributesOfItem(atPath: html)[.size] as? Int) ?? 0
            print(String(format: "html-report --process run %d: %.3f s wall, %.3f s CPU, peak RSS %.1f MiB, "
                + "baseline_report.html %d bytes (%.2f MB)", run, figures.wall, figures.cpu,
                Double(figures.maxRSSKiB) / 1024, bytes, Double(bytes) / 1_000_000))
            if run == runs, let out {
                try? FileManager.default.removeItem(atPath: out)
                try FileManager.default.copyItem(atPath: html, toPath: out)
            }
        }
        let sorted = walls.sorted()
        print(String(format: "html-report --process: median %.3f s wall over %d runs (goal: < 5 s, < 10 MB)",
                     sorted[sorted.count / 2], runs))
    }

    /// Runs `mmmbench report --db DATABASE --out OUT --format html` and waits for it.
    private func timeReport(database: String, out: String) async throws
        -> (wall: Double, cpu: Double, maxRSSKiB: Int)
    {
        try await ReportProcessRun.timed(
            mmmbench: mmmbench, arguments: ["report", "--db", database, "--out", out, "--format", "html"])
    }

    /// CPU seconds of every child waited for so far, and the largest peak RSS among them (KiB): the runs are one
    /// at a time and alike, so the maximum is this run's or an equal earlier one's.
    static func childrenCPUSeconds() -> (cpu: Double, maxRSSKiB: Int) {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return (cpu, Int(usage.ru_maxrss))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// The child process failed.
struct HTMLReportBenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
