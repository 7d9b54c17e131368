extension BaselineMetric {
    /// The harness's timing overhead in milliseconds: ``durationMs`` (the agent's measurement of the whole request)
    /// minus the trainer's own `elapsed_seconds` (from receiving the request to building its answer), nil when the
    /// trainer did not report it. What is left is HTTP client, loopback or network, and server framework time.
    public var overheadMs: Double? {
        trainerFigures["elapsed_seconds"].map { durationMs - $0 * 1000 }
    }
}

extension BaselineReport {
    /// The overhead summary printed after the per-type tables: jobs that reported the trainer's elapsed time and
    /// the median, p90 and p99 of ``BaselineMetric/overheadMs``; empty when no job reported it.
    func overheadSummary() -> String {
        guard let stats = SummaryStatistics(metrics.compactMap(\.overheadMs)) else { return "" }
        let cells = [stats.p50, stats.p90, stats.p99].map { PythonRounding.format($0, places: 3) }
        return "\nTiming overhead (ms: the measured duration minus the trainer's own `elapsed_seconds`):\n\n"
            + "| jobs | median | p90 | p99 |\n|---:|---:|---:|---:|\n"
            + "| \(stats.count) | " + cells.joined(separator: " | ") + " |\n"
    }
}
