import BenchJSON
import BenchProtocol
import BenchWire
import Logging

/// Everything an agent holds across connections: the attempts it executes and their results on the way to the
/// coordinator.
///
///     assign --> waiting (no free slot) --> running --> storing --(outbox commit)--> unacked --(ack)--> removed
///                    \__________ cancel: stopped, forgotten __________/
///
/// Attempts keep running while the agent is disconnected. A result is sent only after the outbox transaction that
/// holds it has committed (fsync); results and ack deletions that pile up while one transaction commits go into the
/// next one together (group commit), so the outbox costs one fsync per batch, not per result.
actor AgentWork {
    enum Phase {
        case waiting
        case running(Task<Void, Never>)
        case storing
    }

    struct Entry {
        var assignment: WireMessage.Assign
        var phase: Phase
        /// The collection of the session that assigned the attempt; its result is stored with it.
        var collectionID: String?
    }

    /// The connection results are sent on, and what it has already been sent (never twice per connection).
    struct Link {
        let queue: OutboundMessageQueue
        var sent: Set<TaskRef> = []
    }

    let outbox: Outbox
    let runner: AttemptRunner
    let slots: Int
    let logger: Logger
    /// The agent's name, at the start of every log line.
    let name: String
    let events: @Sendable (AgentEvent) -> Void

    var attempts: [TaskRef: Entry] = [:]
    var waiting: [TaskRef] = []
    /// An attempt assigned `after` another (the second half of an A/B pair), keyed by that other attempt: it runs in
    /// the other's slot once the other has finished (``AgentWork/followerOf``).
    var followers: [TaskRef: TaskRef] = [:]
    var executing = 0
    /// Results in the outbox that may go to the current coordinator (its collection's and untagged ones; before
    /// the first welcome, all of them), not acknowledged yet.
    var unacked: Set<TaskRef>
    /// The collection of the last welcome: new attempts belong to it, results of others are held back.
    var collectionID: String?
    var pendingStore: [OutboxEntry] = []
    var pendingRemove: [OutboxKey] = []
    /// Refused results to mark in the outbox (committed at once: refusals are rare).
    var pendingRefuse: [OutboxRefusal] = []
    var flushing = false
    var link: Link?
    var nextWaiterID = 0
    var idleWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
    var flushWaiters: [CheckedContinuation<Void, Never>] = []
    var failure: AgentError?
    var closed = false
    var failureWaiters: [Int: CheckedContinuation<AgentError?, Never>] = [:]

    /// True once a `drain` was received; no session takes new work after it.
    private(set) var drainRequested = false

    init(
        outbox: Outbox, runner: AttemptRunner, slots: Int, name: String, logger: Logger,
        events: @escaping @Sendable (AgentEvent) -> Void
    ) throws(OutboxError) {
        self.outbox = outbox
        self.runner = runner
        self.slots = max(1, slots)
        self.logger = logger
        self.name = name
        self.events = events
        unacked = Set(try outbox.pendingEntries().filter { !$0.isSettledRefusal }.map(\.result.task))
    }

    // MARK: - Sessions

    /// What `hello` reports: attempts still held (waiting, running or being stored) and results in the outbox
    /// (refused ones are not listed).
    func helloState() -> (running: [TaskRef], queuedResults: [TaskRef]) {
        let queued = ((try? outbox.pendingTasks()) ?? Array(unacked)).filter(unacked.contains)
        return (runningTasks(), queued)
    }

    /// The attempts to list in `running` (heartbeats, hello): every attempt whose result is not in the outbox yet.
    func runningTasks() -> [TaskRef] {
        attempts.keys.sorted { ($0.taskID, $0.attempt) < ($1.taskID, $1.attempt) }
    }

    /// A session was welcomed: drop what the coordinator cancelled (and what it no longer knows), then resend every
    /// unacknowledged result of the welcome's collection (and untagged ones) and send new ones on `queue` from now
    /// on; results of other collections stay in the outbox.
    func attach(queue: OutboundMessageQueue, welcome: WireMessage.Welcome, announcedRunning: [TaskRef]) {
        for task in welcome.cancelled { cancel(task, reason: "cancelled by the coordinator on reconnect") }
        let kept = Set(welcome.reattached).union(welcome.cancelled)
        for task in announcedRunning where !kept.contains(task) {
            cancel(task, reason: "the coordinator neither re-attached nor cancelled it")
        }
        resendStored(on: queue, collectionID: welcome.collectionID)
    }

    /// The session on `queue` ended; results wait in the outbox for the next one.
    func detach(queue: OutboundMessageQueue) {
        if link?.queue === queue { link = nil }
    }

    /// The coordinator asked for a drain: no more work will come.
    func requestDrain() {
        drainRequested = true
    }

    /// Nothing held: no attempt, no result waiting to be stored or acknowledged.
    var isIdle: Bool { attempts.isEmpty && pendingStore.isEmpty && unacked.isEmpty }

    /// A drain was requested and nothing is left to deliver.
    var isDrainedAndIdle: Bool { drainRequested && isIdle }

    /// Returns once ``isIdle`` holds (at once if it does), or when the calling task is cancelled.
    func waitUntilIdle() async {
        let id = nextWaiterID
        nextWaiterID += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                if isIdle || Task.isCancelled { continuation.resume() } else { idleWaiters[id] = continuation }
            }
        } onCancel: {
            Task { await self.resumeIdleWaiter(id) }
        }
    }

    private func resumeIdleWaiter(_ id: Int) {
        idleWaiters.removeValue(forKey: id)?.resume()
    }

    func checkIdle() {
        guard isIdle, !idleWaiters.isEmpty else { return }
        let waiters = idleWaiters.values
        idleWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    // MARK: - Attempts

    /// Runs an assigned attempt (queued if every slot is busy). A repeated assignment is ignored.
    func assign(_ assignment: WireMessage.Assign) {
        let task = assignment.task
        guard attempts[task] == nil, !unacked.contains(task) else {
            logger.warning("agent \(name) ignores a repeated assignment of \(task)", metadata: logMetadata(task))
            return
        }
        attempts[task] = Entry(assignment: assignment, phase: .waiting, collectionID: collectionID)
        if queueBehindPredecessor(task, assignment) { return }
        if executing < slots {
            start(task)
        } else {
            waiting.append(task)
        }
    }

    /// Stops an attempt and forgets it (its result, if already stored, stays in the outbox).
    func cancel(_ task: TaskRef, reason: String) {
        guard let entry = attempts[task] else { return }
        switch entry.phase {
        case .waiting:
            if let position = waiting.firstIndex(of: task) {
                waiting.remove(at: position)
                // A follower takes its predecessor's place in the queue.
                if let follower = followers.removeValue(forKey: task) { waiting.insert(follower, at: position) }
            }
            forgetFollower(task)
        case .running(let handle):
            handle.cancel()
            executing -= 1
            startFollower(of: task)
        case .storing:
            // The result is being written; it will be sent and acknowledged `stale`.
            return
        }
        attempts[task] = nil
        logger.info("agent \(name) cancelled \(task): \(reason)", metadata: logMetadata(task))
        events(.attemptCancelled(task, reason: reason))
        startWaiting()
        checkIdle()
    }

    func start(_ task: TaskRef) {
        guard var entry = attempts[task] else { return }
        let assignment = entry.assignment
        let runner = self.runner
        executing += 1
        let handle = Task.detached {
            do {
                let outcome = try await runner.run(assignment)
                await self.finished(task, outcome: outcome, at: .now())
            } catch {
                // Cancelled: the table forgot the attempt already.
            }
        }
        entry.phase = .running(handle)
        attempts[task] = entry
        link?.queue.hold(started: .init(task: task, startedAt: .now()))
        logger.debug("agent \(name) started \(task)", metadata: logMetadata(task))
        events(.attemptStarted(task))
    }

    func startWaiting() {
        while executing < slots, !waiting.isEmpty {
            start(waiting.removeFirst())
        }
    }

    private func finished(_ task: TaskRef, outcome: JSONValue, at finishedAt: WireTimestamp) {
        guard var entry = attempts[task], case .running = entry.phase else { return }
        executing -= 1
        entry.phase = .storing
        attempts[task] = entry
        startFollower(of: task)
        pendingStore.append(OutboxEntry(result: WireMessage.TaskResult(task: task, outcome: outcome,
                                                                       finishedAt: finishedAt),
                                        collectionID: entry.collectionID))
        scheduleFlush()
        startWaiting()
    }
}
