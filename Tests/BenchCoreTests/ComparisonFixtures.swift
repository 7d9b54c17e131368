import BenchCore
import Foundation

/// Synthetic measurements for comparison tests: the seed's matrix, a duration per job from its work, a
/// deterministic noise, and chosen failures.
enum ComparisonFixtures {
    /// `days` of the seed's matrix (9 jobs a day).
    static func jobs(days: Int = 3) -> [JobSpec] { Plan(days: days).expandJobs() }

    /// A deterministic noise factor in [1 − amplitude, 1 + amplitude] for job `index` and a `seed`.
    static func noise(_ index: Int, seed: Int, amplitude: Double) -> Double {
        1 + amplitude * sin(Double(index * 7919 + seed * 104_729) * 0.61803)
    }

    /// One side: job duration = scale × (work in seconds) × noise; the jobs whose index is in `failing` fail.
    static func side(_ jobs: [JobSpec], scale: Double, seed: Int, amplitude: Double = 0.05, failing: Set<Int> = [],
                     target: String? = nil) -> [BaselineMetric]
    {
        jobs.enumerated().map { index, job in
            let start = Date(timeIntervalSince1970: 1_767_225_600 + Double(index) * 60)
            var metric: BaselineMetric
            if failing.contains(index) {
                metric = .failure(job: job, startedAt: start, durationMs: 900, httpStatus: 500, attempt: 1,
                                  agent: "a", error: "HTTP 500: boom")
            } else {
                let seconds = Double(job.iterations * job.trials) / 10 * scale * noise(index, seed: seed,
                                                                                     amplitude: amplitude)
                metric = .success(job: job, startedAt: start, durationMs: seconds * 1000, httpStatus: 200, attempt: 1,
                                  agent: "a", costModel: CostModel())
                // Costs in full precision, proportional to the duration (the seed's rounding would zero them).
                metric.cpuHours = seconds / 3600 * 4
                metric.costEstimate = metric.cpuHours * 0.072 + seconds / 3600 * 16 * 0.008
            }
            metric.target = target
            return metric
        }
    }

    static func input(_ baseline: [BaselineMetric], _ candidate: [BaselineMetric],
                      targets: ComparisonTargets = .seedDefaults) -> ComparisonInput
    {
        ComparisonInput(baseline: ComparisonSide(label: "base.json", metrics: baseline),
                        candidate: ComparisonSide(label: "cand.json", metrics: candidate), targets: targets)
    }
}
