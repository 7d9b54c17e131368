import Subprocess

/// `mmmbench report` run as the user runs it: a separate process, timed from the outside. Started through
/// swift-subprocess; its CPU seconds and peak resident memory come from `getrusage(RUSAGE_CHILDREN)` around the run
/// (the runs are one at a time, so the difference is this child's CPU and the maximum is its peak or an equal one's).
enum ReportProcessRun {
    /// Wall-clock seconds, CPU seconds and peak RSS (KiB) of `mmmbench <arguments>`.
    /// - Throws: ``HTMLReportBenchmarkError`` with the child's standard error when it exits non-zero.
    static func timed(mmmbench: String, arguments: [String]) async throws
        -> (wall: Double, cpu: Double, maxRSSKiB: Int)
    {
        let before = HTMLReportProcessBenchmark.childrenCPUSeconds().cpu
        let begin = ContinuousClock.now
        let result = try await Subprocess.run(
            .path(.init(mmmbench)), arguments: Arguments(arguments), output: .discarded,
            error: .string(limit: 1 << 20))
        let wall = HTMLReportProcessBenchmark.seconds(ContinuousClock.now - begin)
        guard case .exited(0) = result.terminationStatus else {
            throw HTMLReportBenchmarkError(
                "\(mmmbench) \(arguments.first ?? "") ended with \(result.terminationStatus): "
                    + result.standardError)
        }
        let after = HTMLReportProcessBenchmark.childrenCPUSeconds()
        return (wall, after.cpu - before, after.maxRSSKiB)
    }
}
