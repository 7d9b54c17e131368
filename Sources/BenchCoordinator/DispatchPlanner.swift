import Foundation

/// Decides which pending jobs go to which agent slots now: the coordinator's pacing rules as a pure function of
/// the board, the connected agents and the time.
///
/// Rules, in order: only jobs of the first unfinished day, and only once that day's gap has passed; at most
/// `maxInFlight` attempts running across all agents; one job per ready slot (a slot is ready `jobGap` seconds
/// after its previous attempt ended); a job only to an agent carrying its labels; lowest matrix ordinal first;
/// agents served round-robin, one job per agent per round, so free capacity is shared evenly.
enum DispatchPlanner {
    struct Limits: Sendable {
        var maxInFlight: Int
        var dayGap: TimeInterval
        var leaseSeconds: TimeInterval
    }

    struct Assignment: Sendable, Equatable {
        let index: Int
        let task: TaskKey
        let agent: String
        let sessionID: UInt64
        let leaseUntil: Date
        /// The attempt this one runs after, in the same slot (the second half of an A/B pair); nil: its own slot.
        var after: TaskKey? = nil
    }

    struct Plan: Sendable {
        var assignments: [Assignment] = []
        /// When planning again could assign more (a slot's gap or the day gap ends); nil: only an event can.
        var wakeAt: Date?
        /// Config indexes (0-based) with pending jobs of the open day that no connected agent may run.
        var unroutable: [Int] = []
    }

    /// Plans assignments and applies them to `board` (`leasing`) and `agents` (slots occupied). `rotation` is the
    /// position in `order` where the next round starts; it advances so that no agent is always served first.
    static func plan(
        board: inout JobBoard, agents: inout [String: AgentSlots], order: [String], rotation: inout Int, now: Date,
        limits: Limits
    ) -> Plan {
        var plan = Plan()
        guard board.pendingCount > 0, !order.isEmpty else { return plan }
        let day: Int
        switch board.gate(now: now, dayGap: limits.dayGap) {
        case .finished:
            return plan
        case .opensAt(let time, _):
            plan.wakeAt = time
            return plan
        case .open(let open):
            day = open
        }
        let start = rotation % order.count
        rotation = (start + 1) % order.count
        var progress = true
        while progress && board.inFlight < limits.maxInFlight {
            progress = false
            for offset in 0..<order.count {
                let name = order[(start + offset) % order.count]
                // Read and mutate the agent in place: a copy would duplicate its slot arrays on every assignment.
                guard let sessionID = agents[name]?.sessionID, agents[name]?.hasReadySlot(at: now) == true,
                      let index = board.takePending(day: day, configs: agents[name]?.allowedConfigs ?? [])
                else { continue }
                let leaseUntil = now.addingTimeInterval(limits.leaseSeconds)
                board.beginLease(index, agent: name, leaseUntil: leaseUntil)
                let task = board[index].task
                _ = agents[name]?.occupy(task, at: now)
                plan.assignments.append(Assignment(index: index, task: task, agent: name, sessionID: sessionID,
                                                   leaseUntil: leaseUntil))
                // A/B: the job's other half goes to the same agent, to run right after it in the same slot.
                if let partner = board.takePendingPartner(of: index) {
                    board.beginLease(partner, agent: name, leaseUntil: leaseUntil)
                    let second = board[partner].task
                    agents[name]?.follow(second, after: task)
                    plan.assignments.append(Assignment(index: partner, task: second, agent: name,
                                                       sessionID: sessionID, leaseUntil: leaseUntil, after: task))
                }
                progress = true
                if board.inFlight >= limits.maxInFlight { break }
            }
        }
        if board.inFlight < limits.maxInFlight {
            for name in order {
                guard let agent = agents[name], board.hasPending(day: day, configs: agent.allowedConfigs),
                      let ready = agent.nextReady(after: now)
                else { continue }
                plan.wakeAt = min(plan.wakeAt ?? ready, ready)
            }
        }
        if plan.assignments.isEmpty && board.inFlight < limits.maxInFlight {
            // Only worth knowing when nothing could be assigned: is some pending work unroutable?
            let routable = Set(order.compactMap { agents[$0] }.flatMap(\.allowedConfigs))
            plan.unroutable = board.configsWithPending(day: day).filter { !routable.contains($0) }
        }
        return plan
    }
}
