import Foundation

/// One connected agent as the dispatcher sees it: its capacity, which job configs it may run (labels), the
/// attempts it executes, and when each free slot may take the next job (the plan's job gap per slot).
struct AgentSlots: Sendable {
    let name: String
    let sessionID: UInt64
    let slots: Int
    /// Config indexes (0-based) whose labels this agent carries.
    let allowedConfigs: [Int]
    /// Attempts assigned to this agent that it has not finished.
    private(set) var occupied: Set<TaskKey>
    /// One entry per free slot: when it may take a job; ascending.
    private(set) var readyAt: [Date]
    /// A/B pairs: the attempt that runs after another in the other's slot, keyed by that other (and the reverse).
    /// A follower is in `occupied` but holds no slot of its own.
    var followerOf: [TaskKey: TaskKey] = [:]
    var predecessorOf: [TaskKey: TaskKey] = [:]
    /// No more assignments (collection complete or coordinator stopping).
    var draining = false
    /// Why the agent cannot reach its trainer (`trainer_unreachable`), nil when it can: no assignments meanwhile.
    var trainerUnreachable: String?
    /// Whether the agent takes assignments at all now.
    var takesWork: Bool { !draining && trainerUnreachable == nil }

    /// The most slots the coordinator uses of one agent: a `hello` may announce any number, but memory per agent
    /// stays bounded (`max_in_flight` bounds the work anyway).
    static let maximumSlots = 10_000

    init(name: String, sessionID: UInt64, slots: Int, allowedConfigs: [Int], occupied: Set<TaskKey>, readyAt: Date) {
        self.name = name
        self.sessionID = sessionID
        self.slots = min(max(1, slots), Self.maximumSlots)
        self.allowedConfigs = allowedConfigs
        self.occupied = occupied
        self.readyAt = Array(repeating: readyAt, count: Swift.max(0, self.slots - occupied.count))
    }

    /// Free slots whose job gap has passed at `now`.
    func readySlots(at now: Date) -> Int {
        takesWork ? readyAt.prefix { $0 <= now }.count : 0
    }

    /// Whether a free slot's job gap has passed at `now` (``readySlots(at:)`` > 0, without counting them).
    func hasReadySlot(at now: Date) -> Bool {
        guard takesWork, let first = readyAt.first else { return false }
        return first <= now
    }

    /// The earliest time a free slot becomes ready, if one is still in its gap.
    func nextReady(after now: Date) -> Date? {
        takesWork ? readyAt.first { $0 > now } : nil
    }

    /// Uses the earliest ready slot for `task`. Returns false if no slot is ready.
    mutating func occupy(_ task: TaskKey, at now: Date) -> Bool {
        guard let first = readyAt.first, first <= now else { return false }
        readyAt.removeFirst()
        occupied.insert(task)
        return true
    }

    /// The agent finished or dropped `task`; its slot takes the next job at `readyAt`. Returns false if the task
    /// did not occupy a slot.
    @discardableResult
    mutating func release(_ task: TaskKey, readyAt time: Date) -> Bool {
        guard occupied.remove(task) != nil else { return false }
        if let follower = followerOf.removeValue(forKey: task) {
            // The follower now runs in this slot (the job gap applies after the pair).
            predecessorOf[follower] = nil
            return true
        }
        if let predecessor = predecessorOf.removeValue(forKey: task) {
            // A follower left before its predecessor: the predecessor keeps the slot.
            followerOf[predecessor] = nil
            return true
        }
        freeSlot(readyAt: time)
        return true
    }

    /// Adds a free slot ready at `time`, unless every slot is already accounted for (a follower holds none).
    mutating func freeSlot(readyAt time: Date) {
        guard occupied.count - followerOf.count + readyAt.count < slots else { return }
        let position = readyAt.firstIndex { $0 > time } ?? readyAt.count
        readyAt.insert(time, at: position)
    }

    /// Counts `task` as held by this agent without taking a slot (see ``follow(_:after:)``).
    mutating func insertOccupied(_ task: TaskKey) {
        occupied.insert(task)
    }

    /// The configs (0-based indexes) an agent with `labels` may run, given each config's labels.
    static func allowedConfigs(labels: [String: String], configLabels: [[String: String]]) -> [Int] {
        configLabels.indices.filter { index in
            configLabels[index].allSatisfy { labels[$0.key] == $0.value }
        }
    }
}
