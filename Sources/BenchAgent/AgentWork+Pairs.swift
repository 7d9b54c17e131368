import BenchJSON
import BenchProtocol
import BenchWire

/// The two halves of an A/B pair on one slot: an assignment with `after` (docs/protocol.md, "A/B collections") runs
/// in the slot of that earlier attempt, right after it, instead of taking a slot of its own.
extension AgentWork {
    /// Queues `task` behind the unfinished attempt its assignment names in `after`, if this agent holds one that
    /// has no follower yet. Returns false when `task` should take a slot of its own (no such attempt: it finished,
    /// was never received or was cancelled).
    func queueBehindPredecessor(_ task: TaskRef, _ assignment: WireMessage.Assign) -> Bool {
        guard let predecessor = assignment.after, let entry = attempts[predecessor], followers[predecessor] == nil
        else { return false }
        switch entry.phase {
        case .waiting, .running:
            followers[predecessor] = task
            logger.debug("agent \(name) queues \(task) after \(predecessor) in its slot", metadata: logMetadata(task))
            return true
        case .storing:
            return false
        }
    }

    /// `task` has left its slot (finished or cancelled while running): its follower, if any, runs in that slot now.
    func startFollower(of task: TaskRef) {
        guard let follower = followers.removeValue(forKey: task), attempts[follower] != nil else { return }
        start(follower)
    }

    /// `task` is cancelled while waiting: it no longer follows anyone.
    func forgetFollower(_ task: TaskRef) {
        for (predecessor, follower) in followers where follower == task {
            followers[predecessor] = nil
        }
    }
}
