import Foundation

/// Renders the seed's baseline report (`generate_baseline_report`) in markdown, section for section.
///
/// Numbers are computed as the seed computes them with pandas, operation for operation over the rows in `metrics`
/// order (the seed's file order; ``PandasArithmetic``): only successful jobs enter the statistics, standard
/// deviations are sample deviations (ddof = 1), groups are sorted by job type name. Where the seed would divide by
/// zero (no successful job, zero training time) the report says so instead of failing.
public struct BaselineReport: Sendable {
    /// Every counted measurement of the collection, in matrix order.
    public var metrics: [BaselineMetric]
    /// Jobs in the plan, so a report made mid-collection says how many are still to run; nil to omit.
    public var plannedJobs: Int?
    /// The raw data file named in "Data for Comparison" (the seed's `output_file`).
    public var metricsFileName: String
    /// Base vCPUs of the pricing, used by the seed's CPU-utilisation rule (`cpu_efficiency < 3` of 4 vCPU).
    public var baseVCPU: Double

    public init(metrics: [BaselineMetric], plannedJobs: Int? = nil, metricsFileName: String = "baseline_metrics.json",
                baseVCPU: Double = 4) {
        self.metrics = metrics
        self.plannedJobs = plannedJobs
        self.metricsFileName = metricsFileName
        self.baseVCPU = baseVCPU
    }

    /// Per job type statistics of successful jobs (the seed's `stats_by_type`), sorted by type name.
    public struct TypeRow: Sendable, Equatable {
        public let jobType: String
        /// The type's durations as a Series (`type_data['duration_minutes']`), with percentiles.
        public let duration: SummaryStatistics
        /// The table's duration cells: count, mean, std, min, max as pandas' groupby computes them.
        public let durationGroup: GroupAggregate
        public let cpuHoursMean: Double, cpuHoursSum: Double
        public let memoryGBHoursMean: Double, memoryGBHoursSum: Double
        public let costMean: Double, costSum: Double
    }

    public var successful: [BaselineMetric] { metrics.filter(\.success) }

    public func typeRows() -> [TypeRow] {
        typeRows(successColumns())
    }

    /// The per-type rows from the successful jobs' columns.
    public func typeRows(_ columns: SuccessColumns) -> [TypeRow] {
        let monotonic = columns.typesMonotonic
        return columns.byType.keys.sorted().compactMap { type in
            guard let rows = columns.byType[type],
                  let duration = SummaryStatistics(rows.durationMinutes, sorted: rows.sortedDurationMinutes),
                  let durationGroup = GroupAggregate(rows.durationMinutes, codesMonotonic: monotonic),
                  let cpu = GroupAggregate(rows.cpuHours, codesMonotonic: monotonic),
                  let memory = GroupAggregate(rows.memoryGBHours, codesMonotonic: monotonic),
                  let cost = GroupAggregate(rows.costEstimate, codesMonotonic: monotonic)
            else { return nil }
            return TypeRow(jobType: type, duration: duration, durationGroup: durationGroup,
                           cpuHoursMean: cpu.mean, cpuHoursSum: cpu.sum,
                           memoryGBHoursMean: memory.mean, memoryGBHoursSum: memory.sum,
                           costMean: cost.mean, costSum: cost.sum)
        }
    }

    /// The markdown report.
    public func render() -> String {
        render(successColumns())
    }

    /// The markdown report from the successful jobs' columns (``successColumns()``), when the caller has made them
    /// for other formats too.
    public func render(_ good: SuccessColumns) -> String {
        guard !metrics.isEmpty else { return "No baseline metrics collected.\n" }
        let durations = good.all.durationMinutes
        let totalCost = PandasArithmetic.seriesSum(good.all.costEstimate)
        let totalHours = PandasArithmetic.seriesSum(durations) / 60
        let successRate = Double(good.count) / Double(metrics.count) * 100
        let (first, last) = timestampRange() ?? (Date(), Date())

        var out = "\n# MMM Trainer Baseline Performance Report\n\n## Collection Summary\n"
        out += "- **Period**: \(Self.day(first)) to \(Self.day(last))\n"
        out += "- **Total Jobs**: \(metrics.count)\n"
        if let plannedJobs, plannedJobs > metrics.count {
            out += "- **Planned Jobs**: \(plannedJobs) (\(plannedJobs - metrics.count) not yet measured)\n"
        }
        out += "- **Successful Jobs**: \(good.count)\n"
        out += "- **Success Rate**: \(f(successRate, 1))%\n"
        out += "- **Total Training Time**: \(f(totalHours, 1)) hours\n"
        out += "- **Estimated Total Cost**: $\(f(totalCost, 2))\n\n"
        // Each pass over the rows once (a report of 10^6 rows): the per-type rows and groups serve both sections.
        let perType = typeRows(good)
        out += "## Performance by Job Type\n\n" + typeTable(perType) + overheadSummary() + "\n"
        out += "## Key Baseline Metrics\n\n### Average Performance\n"
        let otherTypes = perType.map(\.jobType).filter { !["small", "medium", "large"].contains($0) }
        for type in ["small", "medium", "large"] + otherTypes {
            let rows = good.byType[type] ?? SuccessColumns.Columns()
            // Means and a deviation only: no order statistic, so nothing is sorted here.
            guard let durationMean = SummaryStatistics.mean(rows.durationMinutes),
                  let costMean = SummaryStatistics.mean(rows.costEstimate),
                  let cpuMean = SummaryStatistics.mean(rows.cpuHours) else { continue }
            let durationDeviation = PandasArithmetic.seriesStandardDeviation(rows.durationMinutes)
            out += "\n- **\(Self.title(type)) Jobs** (\(rows.durationMinutes.count) samples):\n"
            out += "  - Duration: \(f(durationMean, 1)) ± \(fOpt(durationDeviation, 1)) minutes\n"
            out += "  - Cost: $\(f(costMean, 3)) per job\n"
            out += "  - CPU Utilization: \(f(cpuMean, 1)) hours avg\n"
        }
        out += resourceSection(good: good, totalHours: totalHours)
        out += "\n\n## Expected Optimization Impact\n"
        let meanDuration = SummaryStatistics.mean(durations)
        out += "- **Duration**: 40-50% reduction (target: \(fOpt(meanDuration.map { $0 * 0.5 }, 1)) minutes avg)\n"
        out += "- **Resource Efficiency**: 30-40% better utilization\n"
        out += "- **Cost**: Despite higher resource allocation, expect 20-30% cost reduction due to efficiency\n"
        out += "- **Reliability**: Target >95% success rate\n\n"
        out += "## Data for Comparison\nRaw baseline data saved to: `\(metricsFileName)`\n"
        out += "Use this data to validate optimization effectiveness.\n"
        return out
    }

    func resourceSection(good: SuccessColumns, totalHours: Double) -> String {
        let totalCPU = PandasArithmetic.seriesSum(good.all.cpuHours)
        let totalMemory = PandasArithmetic.seriesSum(good.all.memoryGBHours)
        var out = "\n\n### Resource Utilization\n"
        out += "- **Total CPU Hours**: \(f(totalCPU, 1))\n"
        out += "- **Total Memory GB-Hours**: \(f(totalMemory, 1))\n"
        let perJob: (Double) -> String = { good.count == 0 ? "n/a" : f($0 / Double(good.count), 1) }
        out += "- **Average CPU per Job**: \(perJob(totalCPU)) hours\n"
        out += "- **Average Memory per Job**: \(perJob(totalMemory)) GB-hours\n\n"
        out += "### Optimization Targets\nBased on baseline analysis, the optimization should target:\n"
        out += optimizationTargets(good: good, totalCPU: totalCPU, totalHours: totalHours).joined()
        return out
    }

    /// The seed's three rules: mean duration over 45 min, CPU efficiency under 3 (of 4 vCPU), failure rate over 10 %.
    public func optimizationTargets() -> [String] {
        let good = successColumns()
        let totalHours = PandasArithmetic.seriesSum(good.all.durationMinutes) / 60
        return optimizationTargets(good: good, totalCPU: PandasArithmetic.seriesSum(good.all.cpuHours),
                                   totalHours: totalHours)
    }

    func optimizationTargets(good: SuccessColumns, totalCPU: Double, totalHours: Double) -> [String] {
        var lines: [String] = []
        if let mean = SummaryStatistics.mean(good.all.durationMinutes), mean > 45 {
            lines.append("- 🎯 **Duration Reduction**: Current average exceeds 45 minutes\n")
        }
        // The seed divides by total training time; with no training time there is no efficiency to judge.
        if totalHours > 0, totalCPU / totalHours < baseVCPU * 0.75 {
            lines.append("- 🎯 **CPU Utilization**: Underutilized CPU resources\n")
        }
        let failureRate = Double(metrics.count - good.count) / Double(Swift.max(metrics.count, 1)) * 100
        if failureRate > 10 {
            lines.append("- 🎯 **Reliability**: \(f(failureRate, 1))% failure rate needs improvement\n")
        }
        return lines
    }

    /// The first and last timestamp of the measurements; nil without any.
    func timestampRange() -> (first: Date, last: Date)? {
        guard var first = metrics.first?.timestamp else { return nil }
        var last = first
        for metric in metrics {
            first = Swift.min(first, metric.timestamp)
            last = Swift.max(last, metric.timestamp)
        }
        return (first, last)
    }

    /// Markdown table with the columns of the seed's `stats_by_type` (rounded to 2 places), plus duration percentiles.
    func typeTable() -> String {
        typeTable(typeRows())
    }

    func typeTable(_ rows: [TypeRow]) -> String {
        guard !rows.isEmpty else { return "No successful jobs yet.\n" }
        var out = "| job_type | duration_minutes count | duration_minutes mean | duration_minutes std | "
        out += "duration_minutes min | duration_minutes max | cpu_hours mean | cpu_hours sum | "
        out += "memory_gb_hours mean | memory_gb_hours sum | cost_estimate mean | cost_estimate sum |\n"
        out += "|---|" + String(repeating: "---:|", count: 11) + "\n"
        for row in rows {
            let cells = [
                "\(row.durationGroup.count)", r2(row.durationGroup.mean), r2Opt(row.durationGroup.standardDeviation),
                r2(row.durationGroup.min), r2(row.durationGroup.max), r2(row.cpuHoursMean), r2(row.cpuHoursSum),
                r2(row.memoryGBHoursMean), r2(row.memoryGBHoursSum), r2(row.costMean), r2(row.costSum),
            ]
            out += "| \(row.jobType) | " + cells.joined(separator: " | ") + " |\n"
        }
        out += "\nDuration percentiles (minutes, successful jobs):\n\n"
        out += "| job_type | p50 | p90 | p95 | p99 |\n|---|---:|---:|---:|---:|\n"
        for row in rows {
            let d = row.duration
            out += "| \(row.jobType) | \(f(d.p50, 3)) | \(f(d.p90, 3)) | \(f(d.p95, 3)) | \(f(d.p99, 3)) |\n"
        }
        return out
    }

    // MARK: - Formatting as the seed's f-strings and pandas' round(2) do

    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    static func title(_ type: String) -> String {
        type.prefix(1).uppercased() + type.dropFirst().lowercased()
    }
}

private func f(_ value: Double, _ places: Int) -> String { PythonRounding.format(value, places: places) }
private func fOpt(_ value: Double?, _ places: Int) -> String { value.map { f($0, places) } ?? "nan" }
private func r2(_ value: Double) -> String { pandasRound2(value) }
private func r2Opt(_ value: Double?) -> String { value.map(pandasRound2) ?? "NaN" }

/// pandas' `.round(2)` (numpy's round, not Python's) then the shortest representation of the rounded double.
private func pandasRound2(_ value: Double) -> String {
    "\(PandasArithmetic.numpyRound(value, decimals: 2))"
}
