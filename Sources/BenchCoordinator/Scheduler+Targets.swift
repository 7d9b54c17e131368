import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation

/// Interleaved A/B collections on the coordinator (docs/protocol.md, "A/B collections").
extension Scheduler {
    /// Why an agent cannot take part in this collection: an A/B plan needs agents that honour `target_url` and
    /// `after` (``WireFeature/abTargets``); an older agent would run every task against its own `--trainer-url`.
    func featureRefusal(_ hello: WireMessage.Hello) -> String? {
        guard settings.plan.targets != nil, !hello.features.contains(WireFeature.abTargets) else { return nil }
        return "this collection measures two targets (an A/B plan) and the agent does not announce the feature "
            + "'\(WireFeature.abTargets)': upgrade the agent"
    }

    /// The base URL of the trainer a task calls: its side's, in an A/B collection; nil (the agent's own) otherwise.
    func targetURL(of spec: JobSpec) -> String? {
        spec.target.flatMap { settings.plan.targets?.url(ofTarget: $0) }
    }

    /// Both halves of an A/B pair were re-attached to one agent: they share one slot again (the later half runs
    /// after the earlier on the agent, which kept that order across the reconnect).
    func pairReattached(_ tasks: [TaskKey], in slots: inout AgentSlots, readyAt: Date) {
        let held = Set(tasks)
        for task in tasks {
            guard let index = board.index(of: task.jobID), board[index].spec.target != nil,
                  (index ^ 1) > index, (index ^ 1) < board.total
            else { continue }
            let partner = board[index ^ 1].task
            if held.contains(partner) { slots.pairReattached(partner, after: task, readyAt: readyAt) }
        }
    }
}
