import BenchCore
import BenchStore
import Foundation

/// The scheduler's in-memory mirror of the job table, from which it decides without querying SQLite.
///
/// The database stays the source of truth: the board is loaded from it at start, every decision is written to it
/// (conditionally) before it takes effect, and the board moves to the written state only after the commit
/// reports it. Between decision and commit a job is in a transitional phase (`leasing`, `closing`) so it is not
/// decided twice.
///
///     pending ──beginLease──▶ leasing ──leaseCommitted──▶ assigned ──result committed──▶ done
///        ▲                                                 │  ▲
///        └────────────── closed(requeued/released) ◀── closing   (lease expired, agent lost it)
///                                     closed(gaveUp) ──────────────────────────────────▶ done
struct JobBoard: Sendable {
    enum Phase: Equatable, Sendable {
        case pending, leasing, assigned, closing, done
    }

    struct Entry: Sendable {
        let spec: JobSpec
        var phase: Phase
        /// Current attempt (the one being leased while `leasing`); 0 before the first.
        var attempt: Int
        var agent: String?
        /// The lease as the scheduler knows it (renewals apply at once).
        var leaseUntil: Date
        /// The lease as last written to the database.
        var storedLeaseUntil: Date
        /// The holder sent the current attempt's result; its commit is pending. The lease no longer runs.
        var resultArrived: Bool

        var task: TaskKey { TaskKey(jobID: spec.taskID, attempt: attempt) }
    }

    /// Where the next day stands.
    enum DayGate: Equatable, Sendable {
        /// Jobs of this day may start.
        case open(day: Int)
        /// Every job of earlier days is done; this day may start at the given time.
        case opensAt(Date, day: Int)
        /// Every job is done.
        case finished
    }

    private(set) var entries: [Entry]
    private let indexByID: [String: Int]
    private var pendingByConfig: [MinHeap]
    private var notDoneByDay: [Int]
    private var lastDoneByDay: [Date?]
    private var firstUnfinishedDay = 1
    /// Entries in `leasing`, `assigned` or `closing`.
    private(set) var active: Set<Int> = []
    private var resultArrivedCount = 0
    /// No assigned lease ends before this time (a lower bound: renewals only move leases later).
    private var leaseCheckAt: Date?
    private(set) var doneCount = 0
    private(set) var pendingCount = 0

    var total: Int { entries.count }
    /// Number of job configs in the plan.
    var configCount: Int { pendingByConfig.count }
    var isComplete: Bool { doneCount == entries.count }
    /// Attempts that may be executing: leased or assigned and no result received yet (the `max_in_flight` count).
    var inFlight: Int { active.count - resultArrivedCount }
    /// When the next lease may have ended (nil: none assigned).
    var nextLeaseCheck: Date? { leaseCheckAt }

    /// Builds the board from the plan's matrix and the stored job rows, which must describe the same jobs.
    init(plan: Plan, stored: [StoredJobState]) throws(CoordinatorError) {
        let specs = plan.expandTasks()
        guard specs.count == stored.count else {
            throw CoordinatorError(.inconsistentState, operation: "load jobs",
                                   reason: "the plan has \(specs.count) jobs, the database \(stored.count)")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(specs.count)
        var indexByID: [String: Int] = [:]
        indexByID.reserveCapacity(specs.count)
        pendingByConfig = Array(repeating: MinHeap(), count: plan.jobs.count)
        notDoneByDay = Array(repeating: 0, count: plan.days)
        lastDoneByDay = Array(repeating: nil, count: plan.days)
        for (index, (spec, row)) in zip(specs, stored).enumerated() {
            guard row.jobID == spec.taskID, row.ordinal == index else {
                throw CoordinatorError(.inconsistentState, operation: "load jobs",
                                       reason: "stored job \(row.jobID) at position \(row.ordinal) is not the plan's "
                                           + "\(spec.taskID) at \(index)")
            }
            let phase: Phase
            switch row.state {
            case .pending: phase = .pending
            case .assigned: phase = .assigned
            case .done: phase = .done
            }
            let lease = row.leaseUntil ?? .distantPast
            entries.append(Entry(spec: spec, phase: phase, attempt: row.attempt, agent: row.agent, leaseUntil: lease,
                                 storedLeaseUntil: lease, resultArrived: false))
            indexByID[spec.taskID] = index
            switch phase {
            case .pending:
                pendingByConfig[spec.configIndex - 1].insert(index)
                pendingCount += 1
                notDoneByDay[spec.day - 1] += 1
            case .assigned:
                active.insert(index)
                notDoneByDay[spec.day - 1] += 1
                leaseCheckAt = Swift.min(leaseCheckAt ?? lease, lease)
            default:
                doneCount += 1
                if let doneAt = row.doneAt {
                    lastDoneByDay[spec.day - 1] = Swift.max(lastDoneByDay[spec.day - 1] ?? doneAt, doneAt)
                }
            }
        }
        self.entries = entries
        self.indexByID = indexByID
        advanceFirstUnfinishedDay()
    }

    func index(of jobID: String) -> Int? { indexByID[jobID] }

    subscript(index: Int) -> Entry { entries[index] }

    // MARK: - Day pacing

    /// Whether jobs may start now: only jobs of the first day that is not done, and (for day d > 1) only
    /// `dayGap` seconds after the last job of day d-1 was done.
    func gate(now: Date, dayGap: TimeInterval) -> DayGate {
        guard firstUnfinishedDay <= notDoneByDay.count else { return .finished }
        let day = firstUnfinishedDay
        guard day > 1, let lastDone = lastDoneByDay[day - 2] else { return .open(day: day) }
        let opens = lastDone.addingTimeInterval(dayGap)
        return opens <= now ? .open(day: day) : .opensAt(opens, day: day)
    }

    /// Removes and returns the lowest-ordinal pending job of `day` among the given configs (0-based indexes).
    mutating func takePending(day: Int, configs: [Int]) -> Int? {
        var best: (config: Int, index: Int)?
        for config in configs {
            guard let candidate = pendingByConfig[config].min, entries[candidate].spec.day == day else { continue }
            if let current = best, current.index < candidate { continue }
            best = (config, candidate)
        }
        guard let best else { return nil }
        pendingByConfig[best.config].popMin()
        pendingCount -= 1
        return best.index
    }

    /// In an A/B collection: removes and returns the other half of the job at `index` (just taken with
    /// ``takePending(day:configs:)``) when it is pending, so that both run back to back on one slot. The halves of
    /// job k are the entries 2k and 2k+1 of one config, so a pending other half is its config's next pending entry.
    mutating func takePendingPartner(of index: Int) -> Int? {
        let partner = index ^ 1
        guard entries[index].spec.target != nil, partner > index, partner < entries.count,
              entries[partner].phase == .pending
        else { return nil }
        let config = entries[partner].spec.configIndex - 1
        guard pendingByConfig[config].min == partner else { return nil }
        pendingByConfig[config].popMin()
        pendingCount -= 1
        return partner
    }

    /// Whether any pending job of `day` belongs to one of `configs`.
    func hasPending(day: Int, configs: [Int]) -> Bool {
        configs.contains { config in pendingByConfig[config].min.map { entries[$0].spec.day == day } ?? false }
    }

    /// Config indexes (0-based) that have pending jobs of `day`.
    func configsWithPending(day: Int) -> [Int] {
        pendingByConfig.indices.filter { hasPending(day: day, configs: [$0]) }
    }

    // MARK: - Transitions

    /// A pending job (already taken with ``takePending(day:configs:)``) is being assigned as its next attempt.
    mutating func beginLease(_ index: Int, agent: String, leaseUntil: Date) {
        precondition(entries[index].phase == .pending, "only a pending job can be leased")
        entries[index].phase = .leasing
        entries[index].attempt += 1
        entries[index].agent = agent
        entries[index].leaseUntil = leaseUntil
        active.insert(index)
    }

    /// The assignment is committed.
    mutating func leaseCommitted(_ index: Int) {
        precondition(entries[index].phase == .leasing, "only a leasing job can become assigned")
        entries[index].phase = .assigned
        entries[index].storedLeaseUntil = entries[index].leaseUntil
        leaseCheckAt = Swift.min(leaseCheckAt ?? entries[index].leaseUntil, entries[index].leaseUntil)
    }

    /// Whether `task` is the current assigned attempt held by `agent` (and its result has not arrived).
    func isHeld(_ task: TaskKey, by agent: String) -> Bool {
        guard let index = indexByID[task.jobID] else { return false }
        let entry = entries[index]
        return entry.phase == .assigned && entry.attempt == task.attempt && entry.agent == agent
            && !entry.resultArrived
    }

    /// Whether `task` is being assigned to `agent` right now (committed soon; its `assign` follows).
    func isLeasing(_ task: TaskKey, to agent: String) -> Bool {
        guard let index = indexByID[task.jobID] else { return false }
        let entry = entries[index]
        return entry.phase == .leasing && entry.attempt == task.attempt && entry.agent == agent
    }

    /// Assigned attempts `agent` holds whose result has not arrived, in matrix order.
    func attemptsHeld(by agent: String) -> [TaskKey] {
        active.sorted().compactMap { index in
            let entry = entries[index]
            return entry.phase == .assigned && entry.agent == agent && !entry.resultArrived ? entry.task : nil
        }
    }

    /// Extends the lease of an attempt its holder reports alive. Returns the renewal to write when the stored
    /// lease has less than `persistMargin` seconds left, nil otherwise (also when `task` is not held by `agent`).
    mutating func renew(_ task: TaskKey, agent: String, until: Date, now: Date, persistMargin: TimeInterval)
        -> LeaseRenewal?
    {
        guard isHeld(task, by: agent), let index = indexByID[task.jobID] else { return nil }
        entries[index].leaseUntil = Swift.max(entries[index].leaseUntil, until)
        guard entries[index].storedLeaseUntil.timeIntervalSince(now) < persistMargin else { return nil }
        entries[index].storedLeaseUntil = entries[index].leaseUntil
        return LeaseRenewal(jobID: task.jobID, attempt: task.attempt, agent: agent, until: entries[index].leaseUntil)
    }

    /// Notes that the holder sent the result of its current attempt: the attempt stops counting as in flight and
    /// its lease stops running. Returns false when `task` is not `agent`'s current attempt.
    @discardableResult
    mutating func resultArrived(_ task: TaskKey, agent: String) -> Bool {
        guard isHeld(task, by: agent), let index = indexByID[task.jobID] else { return false }
        entries[index].resultArrived = true
        resultArrivedCount += 1
        return true
    }

    /// Applies the committed outcome of a result. Returns false when the outcome contradicts the board (a result
    /// counted for a job that was not out with an agent): the caller must stop.
    mutating func resultRecorded(_ task: TaskKey, agent: String, outcome: RecordOutcome, now: Date) -> Bool {
        guard let index = indexByID[task.jobID] else { return outcome != .committed }
        let entry = entries[index]
        let arrivedHere = entry.resultArrived && entry.attempt == task.attempt && entry.agent == agent
            && entry.phase == .assigned
        if outcome == .committed {
            guard entry.phase == .assigned || entry.phase == .closing, entry.attempt == task.attempt else {
                return false
            }
            markDone(index, at: now)
        } else if arrivedHere {
            // The store did not count the current holder's result: the lease runs again.
            entries[index].resultArrived = false
            resultArrivedCount -= 1
            leaseCheckAt = Swift.min(leaseCheckAt ?? entry.leaseUntil, entry.leaseUntil)
        }
        return true
    }

    /// Moves every assigned attempt whose lease ended before `now` (and whose result has not arrived) to
    /// `closing` and returns them.
    mutating func takeExpired(now: Date) -> [Int] {
        guard let check = leaseCheckAt, check <= now else { return [] }
        var expired: [Int] = []
        var nextCheck: Date?
        for index in active where entries[index].phase == .assigned && !entries[index].resultArrived {
            if entries[index].leaseUntil < now {
                expired.append(index)
            } else {
                nextCheck = Swift.min(nextCheck ?? entries[index].leaseUntil, entries[index].leaseUntil)
            }
        }
        leaseCheckAt = nextCheck
        expired.sort()
        for index in expired { entries[index].phase = .closing }
        return expired
    }

    /// An assigned attempt is being closed without a result (its agent lost it).
    mutating func beginClose(_ index: Int) {
        precondition(entries[index].phase == .assigned, "only an assigned job can be closed")
        entries[index].phase = .closing
    }

    /// Applies the committed outcome of a closure. Returns false if the board did not expect it (not closing).
    @discardableResult
    mutating func closed(_ index: Int, outcome: ClosureOutcome, now: Date) -> Bool {
        switch (entries[index].phase, outcome) {
        case (.closing, .requeued), (.closing, .released), (.closing, .unsent):
            if entries[index].resultArrived { resultArrivedCount -= 1 }
            entries[index].phase = .pending
            entries[index].agent = nil
            entries[index].resultArrived = false
            active.remove(index)
            pendingByConfig[entries[index].spec.configIndex - 1].insert(index)
            pendingCount += 1
            return true
        case (.closing, .gaveUp):
            markDone(index, at: now)
            return true
        case (.done, .notCurrent):
            return true
        default:
            return false
        }
    }

    private mutating func markDone(_ index: Int, at now: Date) {
        guard entries[index].phase != .done else { return }
        precondition(entries[index].phase != .pending, "a pending job has no attempt to finish")
        if entries[index].resultArrived { resultArrivedCount -= 1 }
        entries[index].phase = .done
        entries[index].resultArrived = false
        active.remove(index)
        doneCount += 1
        let day = entries[index].spec.day
        notDoneByDay[day - 1] -= 1
        lastDoneByDay[day - 1] = Swift.max(lastDoneByDay[day - 1] ?? now, now)
        advanceFirstUnfinishedDay()
    }

    private mutating func advanceFirstUnfinishedDay() {
        while firstUnfinishedDay <= notDoneByDay.count && notDoneByDay[firstUnfinishedDay - 1] == 0 {
            firstUnfinishedDay += 1
        }
    }
}

/// An attempt of a job, as the scheduler keys it (BenchWire's `TaskRef` without the wire dependency in the pure
/// decision code).
struct TaskKey: Hashable, Sendable, CustomStringConvertible {
    let jobID: String
    let attempt: Int

    var description: String { "\(jobID)#\(attempt)" }
}
