import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation

/// Agents that cannot reach their trainer (`trainer_unreachable` in `hello`/`heartbeat`, or a harness-failure
/// result), and attempts inherited from an earlier coordinator process that no agent has reported yet.
extension Scheduler {
    /// A trainer state waiting for the next round's commit, and whether to log it once written.
    struct PendingTrainerState: Sendable {
        let write: TrainerStateWrite
        let announce: Bool
    }

    /// Records what agent `name` says about its trainer (every agent heartbeat says it). While unreachable it gets
    /// no assignment. A change is persisted (for `mmmbench status`) with the next round and logged once written.
    func noteTrainer(_ name: String, unreachable reason: String?, now: Date) {
        guard let current = agents[name], current.trainerUnreachable != reason else { return }
        agents[name]?.trainerUnreachable = reason
        trainerStates.append(PendingTrainerState(write: TrainerStateWrite(agent: name, reason: reason, at: now),
                                                 announce: true))
        signal()
    }

    /// A new session's `hello`: its state replaces whatever an earlier session left (in memory and in the store).
    func registerTrainer(_ name: String, unreachable reason: String?, now: Date) {
        agents[name]?.trainerUnreachable = reason
        trainerStates.append(PendingTrainerState(write: TrainerStateWrite(agent: name, reason: reason, at: now),
                                                 announce: reason != nil))
        signal()
    }

    /// Logs the trainer states a round has just committed.
    func announce(_ states: [PendingTrainerState]) {
        for state in states where state.announce {
            let agent = state.write.agent
            if let reason = state.write.reason {
                logger.warning("agent \(agent) cannot reach its trainer (\(reason)): no work for it until it can")
            } else {
                logger.notice("agent \(agent) reaches its trainer again: it takes work")
            }
        }
    }

    /// A `result` whose outcome is a harness failure (the agent could not run the attempt: its trainer is
    /// unreachable). The attempt is closed as `trainer_unreachable` (the job is pending again; counted toward
    /// `max_attempts`), the agent takes no work until it says its trainer answers, and the `ack` (`committed`) goes
    /// out after the closure is committed. An attempt that is not the agent's current one is answered `stale`.
    func harnessFailure(_ session: AgentSession, task ref: TaskRef, reason: String) {
        let now = clock.now()
        let name = session.name
        noteTrainer(name, unreachable: reason, now: now)
        let task = Self.key(ref)
        guard board.isHeld(task, by: name), let index = board.index(of: task.jobID) else {
            logger.notice("harness failure of \(ref) from \(name) is not about its current attempt (stale): \(reason)",
                          metadata: TaskLogMetadata.of(ref, agent: name))
            session.mailbox.send(.ack(.init(task: ref, status: .stale)))
            return
        }
        agents[name]?.release(task, readyAt: now.addingTimeInterval(settings.jobGap))
        board.beginClose(index)
        closures.append(PendingClosure(
            index: index,
            closure: AttemptClosure(jobID: task.jobID, attempt: task.attempt, agent: name, kind: .trainerUnreachable,
                                    reason: reason),
            acknowledge: session))
        signal()
    }

    /// Attempts assigned before this coordinator started that no agent has reported: the first report of each
    /// (a `hello` re-attaching it, a `heartbeat`, `started` or `progress`) is persisted at once, so that the
    /// attempt counts as received if it is lost later (``BenchStore/inheritUnconfirmedAssignments(collectionID:)``).
    func inherit(_ attempts: [InheritedAttempt]) {
        unreported = Set(attempts.map { TaskKey(jobID: $0.jobID, attempt: $0.attempt) })
    }

    /// The agent reported `task`: if it was an unreported inherited attempt, persist that with the next round.
    func confirmDelivery(_ task: TaskKey, agent: String, until: Date) {
        guard unreported.remove(task) != nil else { return }
        if renewals[task.jobID] == nil {
            renewals[task.jobID] = LeaseRenewal(jobID: task.jobID, attempt: task.attempt, agent: agent, until: until)
        }
        signal()
    }
}
