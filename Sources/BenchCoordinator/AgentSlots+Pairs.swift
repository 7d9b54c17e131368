import Foundation

/// The two halves of an A/B pair share one slot: the second (`follower`) runs on the agent right after the first.
extension AgentSlots {
    /// Adds `follower` to the slot `predecessor` occupies (the planner's second half of a pair).
    mutating func follow(_ follower: TaskKey, after predecessor: TaskKey) {
        guard occupied.contains(predecessor), followerOf[predecessor] == nil else { return }
        insertOccupied(follower)
        followerOf[predecessor] = follower
        predecessorOf[follower] = predecessor
    }

    /// Both halves of a pair were re-attached after a reconnect (each counted as a slot by `init`): the follower
    /// gives its slot back, ready at `readyAt`.
    mutating func pairReattached(_ follower: TaskKey, after predecessor: TaskKey, readyAt time: Date) {
        guard occupied.contains(predecessor), occupied.contains(follower), followerOf[predecessor] == nil,
              predecessorOf[follower] == nil, predecessorOf[predecessor] == nil
        else { return }
        followerOf[predecessor] = follower
        predecessorOf[follower] = predecessor
        freeSlot(readyAt: time)
    }
}
