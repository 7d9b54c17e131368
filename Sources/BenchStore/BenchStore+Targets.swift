import BenchCore
import Foundation
import GRDB

/// Interleaved A/B collections in the store: one job row per (job, target), keyed by the task id
/// (`JobSpec.taskID`); the two halves of job k have the ordinals 2k and 2k+1 (`Plan.expandTasks()`).
extension BenchStore {
    /// Like ``leaseNextJob(collectionID:agent:leaseSeconds:dayGapSeconds:now:)``, and in an A/B collection also the
    /// other half of the leased job when it is pending, in the same transaction, so that one slot runs both back to
    /// back (in ordinal order, which is ABBA). After a crash that left one half done, only the missing half is leased.
    ///
    /// Returns the decision for the first task and the partner's lease (nil in a one-target collection, or when the
    /// other half is done or out). Both leases last `leaseSeconds`.
    public func leaseNextPair(
        collectionID: String, agent: String, leaseSeconds: Double, dayGapSeconds: Double, now: Date = Date()
    ) throws(StoreError) -> (decision: LeaseDecision, partner: JobLease?) {
        try StoreError.wrap(path, "lease next pair") {
            try pool.write { db in
                let decision = try Self.leaseNext(db, collectionID: collectionID, agent: agent,
                                                  leaseSeconds: leaseSeconds, dayGapSeconds: dayGapSeconds, now: now)
                guard case .leased(let first) = decision, first.job.target != nil else { return (decision, nil) }
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT * FROM job WHERE collection_id = ? AND ordinal = ? AND target != '' AND state = 'pending'
                    """, arguments: [collectionID, first.job.ordinal ^ 1])
                else { return (decision, nil) }
                let partner = Self.jobSpec(from: row)
                let attempt = (row["attempt"] as Int) + 1
                let outcome = try Self.assign(db, collectionID: collectionID, AttemptAssignment(
                    jobID: partner.taskID, attempt: attempt, agent: agent, leaseUntil: first.leaseUntil), now: now)
                guard outcome == .assigned else { return (decision, nil) }
                return (decision, JobLease(job: partner, attempt: attempt, agent: agent, leaseUntil: first.leaseUntil))
            }
        }
    }

    /// Counts per side of an A/B collection, in `TargetSide` order; empty for a one-target collection.
    public func targetStatus(collectionID: String) throws(StoreError) -> [TargetStatus] {
        try StoreError.wrap(path, "read target status") {
            try pool.read { db in
                var byTarget: [String: TargetStatus] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT j.target, j.state, j.outcome, r.success, count(*) AS n FROM job j
                    LEFT JOIN result r ON r.collection_id = j.collection_id AND r.job_id = j.id AND r.counted = 1
                    WHERE j.collection_id = ? AND j.target != '' GROUP BY j.target, j.state, j.outcome, r.success
                    """, arguments: [collectionID]) {
                    let target: String = row["target"]
                    let n: Int = row["n"]
                    var status = byTarget[target] ?? TargetStatus(target: target)
                    status.total += n
                    switch row["state"] as String {
                    case "pending": status.pending += n
                    case "assigned": status.assigned += n
                    default:
                        status.done += n
                        if row["outcome"] as String? == "harness_error" {
                            status.harnessErrors += n
                        } else if row["success"] as Bool? == false {
                            status.failedMeasurements += n
                        }
                    }
                    byTarget[target] = status
                }
                return byTarget.values.sorted { Self.targetRank($0.target) < Self.targetRank($1.target) }
            }
        }
    }

    /// Sets the A/B side of a job read from its row: `target`, and `id` back to the seed's job id (the row's id is
    /// the task id `{id}@{target}`, built by `JobSpec.taskID` from the same day, config and country).
    static func applyTarget(of row: Row, to spec: inout JobSpec) {
        guard let target = row["target"] as String?, !target.isEmpty else { return }
        spec.target = target
        spec.id = JobSpec.makeID(day: spec.day, configIndex: spec.configIndex, country: spec.country)
    }

    static func targetRank(_ target: String) -> Int {
        TargetSide.allCases.firstIndex { $0.rawValue == target } ?? TargetSide.allCases.count
    }
}

/// Job counts of one side of an A/B collection (`mmmbench status`).
public struct TargetStatus: Sendable, Equatable {
    /// `baseline` or `candidate`.
    public let target: String
    public var total = 0
    public var pending = 0
    public var assigned = 0
    public var done = 0
    /// Done with a counted result whose trainer call failed.
    public var failedMeasurements = 0
    /// Done after losing `max_attempts` attempts.
    public var harnessErrors = 0

    public init(target: String) {
        self.target = target
    }
}
