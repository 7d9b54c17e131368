import BenchCore
import Foundation
import Testing

/// The pandas version `python3` imports, nil when it cannot import pandas.
private let pandasVersion: String? = {
    let process = Process()
    let output = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import pandas; print(pandas.__version__)"]
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    } catch {
        return nil
    }
}()

/// On CI (`CI=true`) the comparison must run: scripts/ci-setup.d/10-pandas.sh installs pandas there.
private let requiredByCI = ProcessInfo.processInfo.environment["CI"] == "true"

@Suite("Seed compatibility")
struct SeedCompatibilityTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A set of measurements and what it exercises.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let metrics: [BaselineMetric]
        /// Lines our report must contain (the seed's figure where the old arithmetic printed another).
        let expectedLines: [String]
        var testDescription: String { name }
    }

    static let start = 1_767_225_600.0  // 2026-01-01T00:00:00Z

    static func success(_ job: JobSpec, index: Int, minutes: Double) -> BaselineMetric {
        var metric = BaselineMetric.success(
            job: job, startedAt: Date(timeIntervalSince1970: start + Double(job.day) * 86_400 + Double(index) * 60),
            durationMs: minutes * 60_000, httpStatus: 200, attempt: 1, agent: "agent-\(index % 3)",
            costModel: CostModel())
        metric.durationMinutes = minutes
        return metric
    }

    /// Sixteen measurements over two days with failures and varied durations.
    static func mixed() -> [BaselineMetric] {
        Plan(days: 2).expandJobs().prefix(16).enumerated().map { index, job in
            if index % 5 == 4 {
                let start = Date(timeIntervalSince1970: start + Double(job.day) * 86_400 + Double(index) * 60)
                return .failure(job: job, startedAt: start, durationMs: 900, httpStatus: 500, attempt: 1,
                                agent: "agent-1", error: "HTTP 500: \"boom\", ünïcode")
            }
            return success(job, index: index, minutes: 3.0 + Double(index * 7 % 11) * 4.25 + Double(job.iterations) / 20)
        }
    }

    /// The demo's case: 27 memory GB-hours of two decimals whose numpy sum, in this order, is 0.35000000000000003
    /// (the seed prints 0.4); a compensated sum of the sorted values is 0.35 (0.3).
    static func memoryHours() -> [BaselineMetric] {
        let memory = [0.02, 0.01, 0.02, 0.01, 0.02, 0.02, 0.01, 0.01, 0.02, 0.01, 0.01, 0.01, 0.02, 0.02, 0.01, 0.01,
                      0.02, 0.0, 0.0, 0.02, 0.01, 0.02, 0.01, 0.01, 0.01, 0.0, 0.02]
        return zip(Plan().expandJobs(), memory).enumerated().map { index, pair in
            var metric = success(pair.0, index: index, minutes: pair.1 * 60 / 16)
            metric.memoryGBHours = pair.1
            return metric
        }
    }

    /// Costs whose numpy sum in file order is 0.034999999999999996 ($0.03) but 0.035 ($0.04) sorted and compensated.
    static func costOrder() -> [BaselineMetric] {
        let costs = [0.0021, 0.0013, 0.002, 0.0005, 0.0015, 0.0012, 0.0022, 0.003, 0.0023, 0.0008, 0.0022, 0.0018,
                     0.0016, 0.0014, 0.0017, 0.0012, 0.0011, 0.0027, 0.0028, 0.0016]
        return zip(Plan().expandJobs(), costs).enumerated().map { index, pair in
            var metric = success(pair.0, index: index, minutes: 1.5 + Double(index) / 7)
            metric.costEstimate = pair.1
            return metric
        }
    }

    /// One job per type: std is NaN in the table and `nan` in the averages; 25.935 rounds to 25.94 with numpy's
    /// round (pandas' `.round(2)`), 25.93 with Python's.
    static func singletons() -> [BaselineMetric] {
        let jobs = Plan(days: 1).expandJobs()
        return [(jobs[0], 25.935), (jobs[4], 23.905), (jobs[8], 86.255)].enumerated().map { index, pair in
            success(pair.0, index: index, minutes: pair.1)
        }
    }

    /// Nine jobs of one type: pandas 3.1 sums a grouping whose codes are monotonic with numpy's `reduceat`; these
    /// costs then sum to 0.09499999999999999 (0.09 in the table), 0.095 (0.1) with the Kahan kernel.
    static func monotonicGroups() -> [BaselineMetric] {
        let costs = [0.0125, 0.0105, 0.0113, 0.0042, 0.0174, 0.0154, 0.0096, 0.0084, 0.0057]
        let plan = Plan(days: 1, jobs: [JobConfig(type: "small", iterations: 50, trials: 2,
                                                  countries: (1...9).map { "c\($0)" })])
        return zip(plan.expandJobs(), costs).enumerated().map { index, pair in
            var metric = success(pair.0, index: index, minutes: 2 + Double(index) / 3)
            metric.costEstimate = pair.1
            return metric
        }
    }

    /// Two types interleaved (codes not monotonic): pandas' Kahan kernel sums type `a`'s costs to 0.055 (0.06 in the
    /// table); numpy's pairwise sum gives 0.05499999999999999 (0.05).
    static func interleavedGroups() -> [BaselineMetric] {
        let costs = [0.0082, 0.0018, 0.0015, 0.0109, 0.0047, 0.0144, 0.0076, 0.0025, 0.0034]
        let plan = Plan(days: 9, jobs: [JobConfig(type: "a", iterations: 50, trials: 2, countries: ["fr"]),
                                        JobConfig(type: "b", iterations: 75, trials: 3, countries: ["fr"])])
        return plan.expandJobs().enumerated().map { index, job in
            var metric = success(job, index: index, minutes: 2 + Double(index) / 5)
            if job.jobType == "a" { metric.costEstimate = costs[index / 2] }
            return metric
        }
    }

    static let cases: [Case] = [
        Case(name: "mixed days with failures", metrics: mixed(), expectedLines: []),
        Case(name: "memory GB-hours summing to 0.35000000000000003", metrics: memoryHours(),
             expectedLines: ["- **Total Memory GB-Hours**: 0.4"]),
        Case(name: "costs whose sum depends on order", metrics: costOrder(),
             expectedLines: ["- **Estimated Total Cost**: $0.03"]),
        Case(name: "one job per type", metrics: singletons(),
             expectedLines: ["| small | 1 | 25.94 | NaN | 25.94 | 25.94 |", "  - Duration: 25.9 ± nan minutes"]),
        Case(name: "monotonic group codes (reduceat)", metrics: monotonicGroups(),
             expectedLines: ["| 0.09 |\n"]),
        Case(name: "interleaved group codes (Kahan)", metrics: interleavedGroups(), expectedLines: ["| 0.06 |\n"]),
    ]

    @Test("the seed's own generate_baseline_report reads our JSON and prints the figures our report prints",
          .enabled(if: pandasVersion != nil || requiredByCI,
                   "needs python3 with pandas (scripts/ci-setup.d/10-pandas.sh installs it)"),
          arguments: cases)
    func seedReadsOurJSON(_ sample: Case) throws {
        let version = try #require(
            pandasVersion, "CI=true but python3 cannot import pandas: scripts/ci-setup.d/10-pandas.sh installs it")
        let dir = try TemporaryDirectory()
        try MetricsExport.seedJSON(sample.metrics).write(toFile: dir.file("baseline_metrics.json"), atomically: true,
                                                        encoding: .utf8)
        let script = Self.repositoryRoot.appendingPathComponent("scripts/seed_report_from_json.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, dir.file("baseline_metrics.json"), dir.file("seed.md")]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let seed = try String(contentsOfFile: dir.file("seed.md"), encoding: .utf8)
        let ours = BaselineReport(metrics: sample.metrics).render()
        // Every line of the seed's report outside its pandas-printed table appears verbatim in ours.
        let tableStart = try #require(seed.range(of: "## Performance by Job Type"))
        let tableEnd = try #require(seed.range(of: "## Key Baseline Metrics"))
        let comparable = String(seed[..<tableStart.lowerBound]) + String(seed[tableEnd.lowerBound...])
        for line in comparable.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            #expect(ours.contains(line), "seed line missing from our report (pandas \(version)): \(line)")
        }
        // The table: the same numbers, row for row (pandas prints them with its own padding).
        let seedRows = Self.seedTableRows(String(seed[tableStart.upperBound..<tableEnd.lowerBound]))
        let ourRows = Self.ourTableRows(ours)
        #expect(seedRows.keys.sorted() == ourRows.keys.sorted())
        for (type, seedCells) in seedRows {
            let ourCells = ourRows[type] ?? []
            #expect(seedCells.count == ourCells.count && zip(seedCells, ourCells).allSatisfy(Self.same),
                    "stats_by_type row \(type) (pandas \(version)): seed \(seedCells), ours \(ourCells)")
        }
        for line in sample.expectedLines {
            #expect(ours.contains(line), "our report lacks: \(line)")
        }
    }

    static func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

    /// Rows of pandas' `to_string()` of `stats_by_type`: the job type then eleven numbers.
    static func seedTableRows(_ text: String) -> [String: [Double]] {
        var rows: [String: [Double]] = [:]
        for line in text.split(separator: "\n") {
            let tokens = line.split(separator: " ", omittingEmptySubsequences: true)
            guard tokens.count == 12 else { continue }
            let numbers = tokens.dropFirst().compactMap { Double($0) }
            if numbers.count == 11 { rows[String(tokens[0])] = numbers }
        }
        return rows
    }

    /// Rows of our markdown table (the first table of the report).
    static func ourTableRows(_ report: String) -> [String: [Double]] {
        var rows: [String: [Double]] = [:]
        let section = report.components(separatedBy: "## Performance by Job Type")[1]
            .components(separatedBy: "Duration percentiles")[0]
        for line in section.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = cells.dropFirst().compactMap { Double($0) }
            if cells.count == 12, numbers.count == 11 { rows[cells[0]] = numbers }
        }
        return rows
    }
}
