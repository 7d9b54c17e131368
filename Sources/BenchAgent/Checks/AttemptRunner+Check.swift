import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation

extension AttemptRunner {
    /// Runs a `check` task: decodes its ``CheckTask`` payload, runs the check (or its share) with ``CheckRunner``
    /// against this agent's trainer through an HTTP client sized for the check's concurrent requests, and returns
    /// the ``CheckOutcome`` as the result's `outcome` (docs/protocol.md, "Task payloads"), both through BenchProtocol's
    /// one reader and writer of them (`CheckTask(wireValue:)`, `CheckOutcome.wireValue`).
    ///
    /// Never throws for the check's sake: a payload that is not a check task, or a trainer check on an agent without
    /// a trainer (`--no-trainer`), is an `error` outcome naming the cause (or, when not even the check is readable,
    /// `{"success": false, "error": ...}`, which the coordinator records as an `error` of the check it assigned).
    /// Only cancellation is thrown.
    func check(_ assignment: WireMessage.Assign) async throws -> JSONValue {
        let startedAt = Date()
        let task: CheckTask
        do {
            task = try CheckTask(wireValue: assignment.payload)
        } catch {
            let cause = "unusable check task \(assignment.task): \(error)"
            guard let kind = assignment.payload["check"]?.stringValue.flatMap(CheckKind.init(name:)) else {
                return Self.failedOutcome(cause)
            }
            return CheckOutcome(
                check: kind, status: .error, durationSeconds: 0, startedAt: startedAt, reason: cause,
                agent: agentName).wireValue
        }
        guard trainer != nil || !task.check.callsTrainer else {
            return CheckOutcome(
                check: task.check, status: .error, durationSeconds: 0, startedAt: startedAt,
                reason: "agent \(agentName) runs without a trainer (--no-trainer) and cannot check one",
                share: task.check.isConcurrent ? task.share : nil, agent: agentName).wireValue
        }
        let http = CheckRunner.makeHTTPClient(for: task.settings)
        let runner = CheckRunner(client: TrainerClient(baseURL: trainer?.baseURL ?? "", http: http),
                                 settings: task.settings, agent: agentName)
        let outcome: CheckOutcome
        do {
            outcome = try await runner.run(task)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try? await http.shutdown()
        return outcome.wireValue
    }
}
