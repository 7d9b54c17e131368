import AsyncHTTPClient
import BenchCore
import Foundation

/// The job runner of each trainer a collection measures: the one `--trainer-url` of a one-target collection, or
/// the plan's `targets` of an A/B collection, so that each task goes to the URL of its side.
struct TargetRunners: Sendable {
    let single: JobRunner
    let bySide: [String: JobRunner]

    init(trainerURL: String, plan: Plan, http: HTTPClient, agent: String,
         connectTimeoutSeconds: Int = TrainerClient.defaultConnectTimeoutSeconds) {
        func client(_ url: String) -> TrainerClient {
            TrainerClient(baseURL: url, http: http, connectTimeoutSeconds: connectTimeoutSeconds)
        }
        single = JobRunner(client: client(trainerURL), plan: plan, agent: agent)
        var bySide: [String: JobRunner] = [:]
        if let targets = plan.targets {
            for side in TargetSide.allCases {
                bySide[side.rawValue] = JobRunner(client: client(targets.url(of: side)), plan: plan, agent: agent)
            }
        }
        self.bySide = bySide
    }

    /// The first trainer of the collection that cannot be reached at all (`GET /health` cannot connect), nil when
    /// every one answers: the one trainer, or both sides of an A/B collection.
    func firstUnreachable() async throws -> TrainerUnreachableError? {
        let runners = bySide.isEmpty ? [single] : TargetSide.allCases.compactMap { bySide[$0.rawValue] }
        for runner in runners {
            if let unreachable = try await runner.client.unreachableReason() {
                return TrainerUnreachableError(url: runner.client.baseURL, reason: unreachable.failure)
            }
        }
        return nil
    }

    /// Runs `job` against its side's trainer; the measurement carries the side as `target`.
    func run(_ job: JobSpec, attempt: Int) async throws -> BaselineMetric {
        guard let target = job.target else { return try await single.run(job, attempt: attempt) }
        guard let runner = bySide[target] else { throw TargetRunnersError(target: target) }
        return try await runner.run(job, attempt: attempt).withTarget(target)
    }
}

/// A task names a side the plan has no URL for (a store written by another plan: never measured elsewhere).
struct TargetRunnersError: Error, CustomStringConvertible {
    let target: String

    var description: String { "task for target '\(target)' but the plan's targets have no such side" }
}
