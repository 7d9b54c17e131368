import BenchCore
import Foundation
import Testing

@Suite("Baseline report and exports")
struct ReportTests {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    static func metric(_ type: String, _ iterations: Int, _ trials: Int, minutes: Double, day: Int = 1,
                       success: Bool = true) -> BaselineMetric {
        let job = JobSpec(id: "baseline-\(day)-1-fr-\(type)-\(minutes)", ordinal: 0, day: day, configIndex: 1,
                          country: "fr", jobType: type, iterations: iterations, trials: trials)
        let at = start.addingTimeInterval(Double(day - 1) * 86_400)
        return success
            ? .success(job: job, startedAt: at, durationMs: minutes * 60_000, httpStatus: 200, attempt: 1,
                       agent: "local", costModel: CostModel())
            : .failure(job: job, startedAt: at, durationMs: 1234, httpStatus: 500, attempt: 1, agent: "local",
                       error: "HTTP 500")
    }

    /// Expected numbers computed with the seed's formulas in Python for these four jobs.
    static let sample = [
        metric("small", 50, 2, minutes: 10), metric("small", 75, 3, minutes: 20),
        metric("large", 400, 8, minutes: 60, day: 3), metric("medium", 150, 4, minutes: 5, day: 2, success: false),
    ]

    @Test("every section of the seed's report is present, with the seed's numbers")
    func sectionsAndNumbers() {
        let text = BaselineReport(metrics: Self.sample).render()
        for heading in ["# MMM Trainer Baseline Performance Report", "## Collection Summary",
                        "## Performance by Job Type", "## Key Baseline Metrics", "### Average Performance",
                        "### Resource Utilization", "### Optimization Targets", "## Expected Optimization Impact",
                        "## Data for Comparison"] {
            #expect(text.contains(heading), "missing \(heading)")
        }
        #expect(text.contains("- **Period**: 2026-01-01 to 2026-01-03"))
        #expect(text.contains("- **Total Jobs**: 4"))
        #expect(text.contains("- **Successful Jobs**: 3"))
        #expect(text.contains("- **Success Rate**: 75.0%"))
        #expect(text.contains("- **Total Training Time**: 1.5 hours"))
        #expect(text.contains("- **Estimated Total Cost**: $0.72"))
        // Average performance: pandas mean and sample std; a single sample has std NaN.
        #expect(text.contains("- **Small Jobs** (2 samples):\n  - Duration: 15.0 ± 7.1 minutes\n  - Cost: $0.105 per job"))
        #expect(text.contains("- **Large Jobs** (1 samples):\n  - Duration: 60.0 ± nan minutes"))
        #expect(!text.contains("**Medium Jobs**"))
        #expect(text.contains("- **Total CPU Hours**: 7.3"))
        #expect(text.contains("- **Total Memory GB-Hours**: 24.0"))
        #expect(text.contains("- **Average CPU per Job**: 2.4 hours"))
        #expect(text.contains("- **Average Memory per Job**: 8.0 GB-hours"))
        #expect(text.contains("- 🎯 **Reliability**: 25.0% failure rate needs improvement"))
        #expect(!text.contains("**Duration Reduction**"))
        #expect(!text.contains("**CPU Utilization**: Underutilized"))
        #expect(text.contains("(target: 15.0 minutes avg)"))
        #expect(text.contains("Raw baseline data saved to: `baseline_metrics.json`"))
    }

    @Test("the per-type table has the seed's columns, sorted by type, rounded to 2 places")
    func typeTable() {
        let report = BaselineReport(metrics: Self.sample)
        let rows = report.typeRows()
        #expect(rows.map(\.jobType) == ["large", "small"])
        let text = report.render()
        #expect(text.contains("| job_type | duration_minutes count | duration_minutes mean | duration_minutes std |"))
        #expect(text.contains("| small | 2 | 15.0 | 7.07 | 10.0 | 20.0 |"))
        #expect(text.contains("| large | 1 | 60.0 | NaN | 60.0 | 60.0 | 5.28 | 5.28 | 16.0 | 16.0 |"))
    }

    @Test("the seed's three optimization rules fire on their conditions")
    func optimizationRules() {
        let slow = BaselineReport(metrics: [Self.metric("large", 400, 8, minutes: 90)])
        #expect(slow.optimizationTargets().map { $0.contains("Duration Reduction") } == [true])
        // Sub-second jobs round to 0.0 CPU hours: the seed's efficiency (cpu/duration) is then under 3.
        let tiny = BaselineReport(metrics: [Self.metric("small", 50, 2, minutes: 0.01)])
        #expect(tiny.optimizationTargets().contains { $0.contains("CPU Utilization") })
        let failing = BaselineReport(metrics: [Self.metric("small", 50, 2, minutes: 10),
                                               Self.metric("small", 50, 2, minutes: 10, success: false)])
        #expect(failing.optimizationTargets().contains { $0.contains("50.0% failure rate") })
    }

    @Test("no metrics and no successes render without dividing by zero")
    func degenerate() {
        #expect(BaselineReport(metrics: []).render() == "No baseline metrics collected.\n")
        let text = BaselineReport(metrics: [Self.metric("small", 1, 1, minutes: 1, success: false)]).render()
        #expect(text.contains("- **Success Rate**: 0.0%"))
        #expect(text.contains("No successful jobs yet."))
        #expect(text.contains("- **Average CPU per Job**: n/a hours"))
    }

    @Test("a report made mid-collection says how many jobs are still to run")
    func partial() {
        let text = BaselineReport(metrics: Self.sample, plannedJobs: 27).render()
        #expect(text.contains("- **Planned Jobs**: 27 (23 not yet measured)"))
    }

    @Test("JSON export has exactly the seed's keys and JSON types, so the seed's code reads it")
    func seedJSON() throws {
        let text = MetricsExport.seedJSON(Self.sample)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(items.count == 4)
        for item in items { #expect(Set(item.keys) == Set(MetricsExport.seedKeys)) }
        let first = items[0]
        #expect(first["timestamp"] as? String == "2026-01-01T00:00:00+00:00")
        #expect(first["job_type"] as? String == "small")
        #expect(first["iterations"] as? Int == 50)
        #expect((first["duration_minutes"] as? NSNumber)?.doubleValue == 10)
        #expect(first["success"] as? Bool == true)
        #expect(first["error_message"] is NSNull)
        #expect(items[3]["error_message"] as? String == "HTTP 500")
        #expect(items[3]["duration_minutes"] as? Double == 0)
        // Floats are written as Python writes them (10.0, not 10), so pandas infers float64 columns.
        #expect(text.contains("\"duration_minutes\": 10.0,"))
        #expect(text.hasPrefix("[\n  {\n    \"timestamp\": "))
    }

    @Test("timestamps keep microseconds like datetime.isoformat()")
    func isoTimestamp() {
        let date = Date(timeIntervalSince1970: 1_767_225_600.25)
        #expect(MetricsExport.isoTimestamp(date) == "2026-01-01T00:00:00.250000+00:00")
    }

    @Test("timestamps across calendar edges are Python's isoformat()")
    func isoTimestampCalendarEdges() {
        // Reference strings from datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat().
        let cases: [(Double, String)] = [
            (0, "1970-01-01T00:00:00+00:00"), (-1.5, "1969-12-31T23:59:58.500000+00:00"),
            (951_782_400, "2000-02-29T00:00:00+00:00"), (4_102_444_800.999999, "2100-01-01T00:00:00.999999+00:00"),
            (253_402_300_799, "9999-12-31T23:59:59+00:00"),
        ]
        for (seconds, expected) in cases {
            #expect(MetricsExport.isoTimestamp(Date(timeIntervalSince1970: seconds)) == expected)
        }
    }

    @Test("the date part of timestamps agrees with Foundation's Gregorian calendar day by day over 1900-2200")
    func isoTimestampAgreesWithCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        for day in stride(from: -25_567, through: 84_000, by: 1) {
            let date = Date(timeIntervalSince1970: Double(day) * 86_400 + 45_296)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let expected = String(format: "%04d-%02d-%02dT12:34:56+00:00", parts.year ?? 0, parts.month ?? 0,
                                  parts.day ?? 0)
            guard MetricsExport.isoTimestamp(date) == expected else {
                Issue.record("day \(day): \(MetricsExport.isoTimestamp(date)) != \(expected)")
                return
            }
        }
    }

    @Test("CSV has every field, quoted where needed")
    func csv() {
        var failed = Self.metric("small", 1, 1, minutes: 1, success: false)
        failed.errorMessage = "HTTP 500: bad, \"worse\""
        failed.trainerFigures = ["cpu_seconds": 1.5]
        let lines = MetricsExport.csv([failed]).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0] == Substring(MetricsExport.csvColumns.joined(separator: ",")))
        #expect(lines[1].contains(",False,\"HTTP 500: bad, \"\"worse\"\"\",1,local,500,1234.0,,cpu_seconds=1.5"))
    }

    @Test("overhead_ms is the measured duration minus the trainer's elapsed_seconds, in the CSV and the report")
    func overhead() throws {
        var metrics = (1...10).map { Self.metric("small", 50, 2, minutes: Double($0)) }
        for index in metrics.indices {
            // The trainer took all but (index + 1) * 0.25 ms of each request.
            metrics[index].trainerFigures["elapsed_seconds"] = (metrics[index].durationMs - Double(index + 1) * 0.25)
                / 1000
        }
        metrics.append(Self.metric("small", 50, 2, minutes: 11))  // reported no elapsed_seconds
        #expect(abs((metrics[3].overheadMs ?? 0) - 1.0) < 1e-6)
        #expect(metrics[10].overheadMs == nil)
        let lines = MetricsExport.csv(metrics).split(separator: "\n", omittingEmptySubsequences: false)
        let column = try #require(MetricsExport.csvColumns.firstIndex(of: "overhead_ms"))
        #expect(MetricsExport.csvColumns[column - 1] == "duration_ms")
        let fourth = lines[4].split(separator: ",", omittingEmptySubsequences: false)
        #expect(abs((Double(String(fourth[column])) ?? 0) - 1.0) < 1e-6)
        #expect(lines[11].split(separator: ",", omittingEmptySubsequences: false)[column] == "")
        // numpy percentiles of 0.25, 0.5, ... 2.5: median 1.375, p90 2.275, p99 2.4775.
        let report = BaselineReport(metrics: metrics).render()
        let header = "| jobs | median | p90 | p99 |\n|---:|---:|---:|---:|\n"
        let row = try #require(report.components(separatedBy: header).dropFirst().first?.split(separator: "\n").first)
        let cells = row.split(separator: "|").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        #expect(cells.count == 4 && cells[0] == 10)
        #expect(zip(cells.dropFirst(), [1.375, 2.275, 2.4775]).allSatisfy { abs($0 - $1) <= 0.0006 }, "\(cells)")
        #expect(!BaselineReport(metrics: [Self.metric("small", 50, 2, minutes: 1)]).render()
            .contains("Timing overhead"))
    }
}
