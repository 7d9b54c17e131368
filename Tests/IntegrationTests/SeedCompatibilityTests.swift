import BenchCore
import Foundation
import Testing

/// Whether `python3` with pandas is available to run the seed's own report code.
private let pandasAvailable: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import pandas"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    } catch {
        return false
    }
}()

@Suite("Seed compatibility")
struct SeedCompatibilityTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Sixteen measurements over three days with failures and varied durations.
    static func metrics() -> [BaselineMetric] {
        let jobs = Plan(days: 2).expandJobs()
        return jobs.prefix(16).enumerated().map { index, job in
            let start = Date(timeIntervalSince1970: 1_767_225_600 + Double(job.day) * 86_400 + Double(index) * 60)
            if index % 5 == 4 {
                return .failure(job: job, startedAt: start, durationMs: 900, httpStatus: 500, attempt: 1,
                                agent: "agent-1", error: "HTTP 500: \"boom\", ünïcode")
            }
            let minutes = 3.0 + Double(index * 7 % 11) * 4.25 + Double(job.iterations) / 20
            return .success(job: job, startedAt: start, durationMs: minutes * 60_000, httpStatus: 200, attempt: 1,
                            agent: "agent-\(index % 3)", costModel: CostModel())
        }
    }

    @Test("the seed's own generate_baseline_report reads our JSON and agrees with our report",
          .enabled(if: pandasAvailable, "needs python3 with pandas"))
    func seedReadsOurJSON() throws {
        let dir = try TemporaryDirectory()
        let metrics = Self.metrics()
        try MetricsExport.seedJSON(metrics).write(toFile: dir.file("baseline_metrics.json"), atomically: true,
                                                 encoding: .utf8)
        let script = Self.repositoryRoot.appendingPathComponent("scripts/seed_report_from_json.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, dir.file("baseline_metrics.json"), dir.file("seed.md")]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let seed = try String(contentsOfFile: dir.file("seed.md"), encoding: .utf8)
        let ours = BaselineReport(metrics: metrics).render()
        // Every line of the seed's report outside its pandas-printed table appears verbatim in ours.
        let tableStart = try #require(seed.range(of: "## Performance by Job Type"))
        let tableEnd = try #require(seed.range(of: "## Key Baseline Metrics"))
        let comparable = String(seed[..<tableStart.lowerBound]) + String(seed[tableEnd.lowerBound...])
        for line in comparable.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            #expect(ours.contains(line), "seed line missing from our report: \(line)")
        }
    }
}
