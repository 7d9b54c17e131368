import Foundation

/// The two trainers of an interleaved A/B collection: every job of the matrix runs against both, back to back on one
/// slot, in ABBA order (``TargetSide/order(forJobAt:)``), so drift in load or time of day hits both sides alike.
public struct PlanTargets: Codable, Sendable, Equatable {
    /// Base URL of the trainer measured as the baseline (`http://host:port`).
    public var baseline: String
    /// Base URL of the trainer measured as the candidate.
    public var candidate: String

    public init(baseline: String, candidate: String) {
        self.baseline = baseline
        self.candidate = candidate
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case baseline, candidate
    }

    /// Targets from URLs given outside a plan file (e.g. `canary --baseline URL --candidate URL`), checked by the
    /// same rule as the plan's `targets` section; the error names `targets.baseline` or `targets.candidate`.
    public static func validated(baseline: String, candidate: String) throws(PlanError) -> PlanTargets {
        PlanTargets(baseline: try PlanNodeReader.trainerURL(baseline, path: "targets.baseline"),
                    candidate: try PlanNodeReader.trainerURL(candidate, path: "targets.candidate"))
    }

    /// The URL of one side.
    public func url(of side: TargetSide) -> String {
        switch side {
        case .baseline: baseline
        case .candidate: candidate
        }
    }

    /// The URL of the side named `target` (`baseline` or `candidate`), nil for any other name.
    public func url(ofTarget target: String) -> String? {
        TargetSide(rawValue: target).map(url(of:))
    }
}

/// One side of an A/B collection. The raw value is what results carry as `BaselineMetric.target`.
public enum TargetSide: String, Sendable, CaseIterable, Codable {
    case baseline, candidate

    /// The order in which job `position` (0-based, matrix order) runs its two sides: baseline first for even
    /// positions, candidate first for odd ones (ABBA), so neither side always goes first.
    public static func order(forJobAt position: Int) -> [TargetSide] {
        position.isMultiple(of: 2) ? [.baseline, .candidate] : [.candidate, .baseline]
    }
}

extension JobSpec {
    /// The key of this job's row, attempts, results and wire task: the seed's job id in a one-target collection,
    /// `{id}@{target}` for one side of an A/B job. An opaque key: nothing reads the target back out of it (the side is
    /// ``target``).
    public var taskID: String {
        guard let target else { return id }
        return "\(id)@\(target)"
    }
}

extension Plan {
    /// What a collection of this plan runs, in the order it runs it: ``expandJobs()`` for one target; with
    /// `targets`, two tasks per job (same `id`, `target` set), ordered ABBA (``TargetSide/order(forJobAt:)``), with
    /// ordinals 0..<2n so that the two halves of job k have the ordinals 2k and 2k+1 (`ordinal / 2` is the pair).
    public func expandTasks() -> [JobSpec] {
        let jobs = expandJobs()
        guard targets != nil else { return jobs }
        var tasks: [JobSpec] = []
        tasks.reserveCapacity(jobs.count * 2)
        for (position, job) in jobs.enumerated() {
            for side in TargetSide.order(forJobAt: position) {
                var task = job
                task.ordinal = tasks.count
                task.target = side.rawValue
                tasks.append(task)
            }
        }
        return tasks
    }
}

extension BaselineMetric {
    /// This measurement marked as one side of an A/B collection (`target` of its task; nil leaves it one-target).
    public func withTarget(_ target: String?) -> BaselineMetric {
        var metric = self
        metric.target = target
        return metric
    }
}
