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
        return TargetSide.allCases.enumerated().map { index, side in
            (fileName: markdownName(for: side),
             report: report(metrics.filter { reportIndex(of: $0, plan: plan) == index }))
        }
    }

    /// How many reports ``baselineReports(metrics:plan:)`` makes for `plan`: one, or one per A/B side.
    static func reportCount(plan: Plan) -> Int {
        plan.targets == nil ? 1 : TargetSide.allCases.count
    }

    /// The index of the report `metric` is in, among ``baselineReports(metrics:plan:)``'s; nil for a measurement
    /// of an A/B collection without a known side (in no report).
    static func reportIndex(of metric: BaselineMetric, plan: Plan) -> Int? {
        guard plan.targets != nil else { return 0 }
        return TargetSide.allCases.firstIndex { $0.rawValue == metric.target }
    }

    /// `baseline_report_{side}.md`.
    public static func markdownName(for side: TargetSide) -> String {
        "baseline_report_\(side.rawValue).md"
    }
}
