@testable import BenchCoordinator
import BenchCore
import BenchStore
import Foundation

/// Boards built from a plan as if freshly stored (every job pending), and helpers to drive them.
enum BoardFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static func plan(days: Int = 2, configs: [JobConfig]? = nil, maxInFlight: Int = 64) -> Plan {
        Plan(days: days,
             jobs: configs ?? [JobConfig(type: "small", iterations: 1, trials: 1, countries: ["fr", "de"]),
                               JobConfig(type: "large", iterations: 2, trials: 1, countries: ["uk"])],
             jobGapSeconds: 0, dayGapSeconds: 100, maxAttempts: 2, maxInFlight: maxInFlight)
    }

    static func pendingRows(_ plan: Plan) -> [StoredJobState] {
        plan.expandJobs().map {
            StoredJobState(jobID: $0.id, ordinal: $0.ordinal, day: $0.day, configIndex: $0.configIndex,
                           state: .pending, attempt: 0, agent: nil, leaseUntil: nil, doneAt: nil)
        }
    }

    static func board(_ plan: Plan) throws -> JobBoard {
        try JobBoard(plan: plan, stored: pendingRows(plan))
    }

    /// Leases the next job of `day` (any config) to `agent` and commits it; returns its index.
    static func leaseAndCommit(_ board: inout JobBoard, day: Int, agent: String, leaseUntil: Date,
                               configs: [Int]? = nil) -> Int? {
        let all = configs ?? Array(0..<3)
        guard let index = board.takePending(day: day, configs: all.filter { $0 < board.configCount }) else {
            return nil
        }
        board.beginLease(index, agent: agent, leaseUntil: leaseUntil)
        board.leaseCommitted(index)
        return index
    }

    static func agent(_ name: String, slots: Int, session: UInt64 = 1, configs: [Int] = [0, 1],
                      readyAt: Date = t0) -> AgentSlots {
        AgentSlots(name: name, sessionID: session, slots: slots, allowedConfigs: configs, occupied: [],
                   readyAt: readyAt)
    }
}
