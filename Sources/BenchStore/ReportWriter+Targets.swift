import BenchCore
import Foundation

extension ReportWriter {
    /// The seed's baseline report of the metrics of one collection: `baseline_report.md` over every measurement of
    /// a one-target collection; in an A/B collection one report per side, `baseline_report_baseline.md` and
    /// `baseline_report_candidate.md`, each over that side's measurements only (the two sides are never mixed
    /// in one seed report; `mmmbench compare` puts them side by side).
    static func baselineReports(metrics: [BaselineMetric], plan: Plan)
        -> [(fileName: String, report: BaselineReport)]
    {
        let planned = plan.days * plan.jobsPerDay
        func report(_ metrics: [BaselineMetric]) -> BaselineReport {
            BaselineReport(metrics: metrics, plannedJobs: planned, metricsFileName: jsonName,
                           baseVCPU: plan.pricing.baseVCPU)
        }
        guard plan.targets != nil else { return [(fileName: markdownName, report: report(metrics))] }
        return TargetSide.allCases.map { side in
            (fileName: markdownName(for: side), report: report(metrics.filter { $0.target == side.rawValue }))
        }
    }

    /// `baseline_report_{side}.md`.
    public static func markdownName(for side: TargetSide) -> String {
        "baseline_report_\(side.rawValue).md"
    }
}
