import BenchCore
import Foundation

/// Runs one baseline job against the trainer and turns the answer into a measurement.
///
/// A trainer error (non-200), a timeout or an answer the plan's ``SuccessRule`` refuses (``TrainAnswerReading``) is
/// a failed measurement with the reason. A trainer that cannot be reached at all (the call could not connect and
/// `GET /health` cannot either) throws ``TrainerUnreachableError``; otherwise only cancellation is thrown.
public struct JobRunner: Sendable {
    public let client: TrainerClient
    public let plan: Plan
    public let agent: String

    public init(client: TrainerClient, plan: Plan, agent: String) {
        self.client = client
        self.plan = plan
        self.agent = agent
    }

    /// Figures copied from the trainer's answer into `trainer_figures` when present and numeric.
    public static let figureKeys = ["elapsed_seconds", "cpu_seconds", "peak_rss_mb", "candidates_evaluated"]

    public func run(_ job: JobSpec, attempt: Int) async throws -> BaselineMetric {
        let startedAt = Date()
        let body = TrainRequest(job: job, template: plan.payload).jsonData()
        let answer = try await client.post(path: "/train", json: body, timeoutSeconds: plan.timeoutSeconds)
        if answer.connectFailure != nil, let unreachable = try await client.unreachableReason() {
            throw TrainerUnreachableError(url: client.baseURL, reason: unreachable.failure)
        }
        return Self.metric(for: answer, job: job, attempt: attempt, agent: agent, startedAt: startedAt,
                           costModel: CostModel(pricing: plan.pricing), successRule: plan.effectiveSuccessRule)
    }

    /// Interprets a trainer answer (pure: exposed for tests).
    public static func metric(
        for answer: TrainerAnswer, job: JobSpec, attempt: Int, agent: String, startedAt: Date, costModel: CostModel,
        successRule: SuccessRule = .default
    ) -> BaselineMetric {
        func failure(_ reason: String) -> BaselineMetric {
            .failure(job: job, startedAt: startedAt, durationMs: answer.durationMs, httpStatus: answer.status,
                     attempt: attempt, agent: agent, error: reason)
        }
        guard let status = answer.status else { return failure(answer.transportError ?? "no response") }
        guard status == 200 else {
            return failure("HTTP \(status)" + (errorText(answer.body).map { ": \($0)" } ?? ""))
        }
        let reading = TrainAnswerReading(body: answer.body, rule: successRule)
        if let reason = reading.failureReason { return failure(reason) }
        return .success(job: job, startedAt: startedAt, durationMs: answer.durationMs, httpStatus: status,
                        attempt: attempt, agent: agent, costModel: costModel, trainerFigures: reading.figures)
    }

    /// The `error` field of a JSON error body, shortened, if there is one.
    static func errorText(_ body: Data?) -> String? {
        guard let body, case .string(let text)? = TrainAnswerReading.members(of: body, named: ["error"])?["error"]
        else { return nil }
        return String(text.prefix(200))
    }
}
