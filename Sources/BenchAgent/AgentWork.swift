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
    private enum Phase {
        case waiting
        case running(Task<Void, Never>)
        case storing
    }

    private struct Entry {
        var assignment: WireMessage.Assign
        var phase: Phase
    }

    /// The connection results are sent on, and what it has already been sent (never twice per connection).
    private struct Link {
        let queue: OutboundQueue
        var sent: Set<TaskRef> = []
    }

    private let outbox: Outbox
    private let runner: AttemptRunner
    private let slots: Int
    private let logger: Logger
    /// The agent's name, at the start of every log line.
    private let name: String
    private let events: @Sendable (AgentEvent) -> Void

    private var attempts: [TaskRef: Entry] = [:]
    private var waiting: [TaskRef] = []
    private var executing = 0
    private var unacked: Set<TaskRef>
    private var pendingStore: [WireMessage.TaskResult] = []
    private var pendingRemove: [TaskRef] = []
    private var flushing = false
    private var link: Link?
    private var nextWaiterID = 0
    private var idleWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []
    private var failure: AgentError?
    private var closed = false
    private var failureWaiters: [Int: CheckedContinuation<AgentError?, Never>] = [:]

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
        unacked = Set(try outbox.pendingTasks())
    }

    // MARK: - Sessions

    /// What `hello` reports: attempts still held (waiting, running or being stored) and results in the outbox.
    func helloState() -> (running: [TaskRef], queuedResults: [TaskRef]) {
        let queued = ((try? outbox.pendingTasks()) ?? Array(unacked)).filter(unacked.contains)
        return (runningTasks(), queued)
    }

    /// The attempts to list in `running` (heartbeats, hello): every attempt whose result is not in the outbox yet.
    func runningTasks() -> [TaskRef] {
        attempts.keys.sorted { ($0.taskID, $0.attempt) < ($1.taskID, $1.attempt) }
    }

    /// A session was welcomed: drop what the coordinator cancelled (and what it no longer knows), then resend every
    /// unacknowledged result and send new ones on `queue` from now on.
    func attach(queue: OutboundQueue, welcome: WireMessage.Welcome, announcedRunning: [TaskRef]) {
        for task in welcome.cancelled { cancel(task, reason: "cancelled by the coordinator on reconnect") }
        let kept = Set(welcome.reattached).union(welcome.cancelled)
        for task in announcedRunning where !kept.contains(task) {
            cancel(task, reason: "the coordinator neither re-attached nor cancelled it")
        }
        var link = Link(queue: queue)
        let stored: [WireMessage.TaskResult]
        do {
            stored = try outbox.pendingResults().filter { unacked.contains($0.task) }
        } catch {
            fail(AgentError(.outbox, operation: "resend results", reason: error.description))
            return
        }
        link.sent = Set(stored.map(\.task))
        self.link = link
        if !stored.isEmpty {
            queue.send(contentsOf: stored.map(WireMessage.result))
            events(.resultsSent(stored.map(\.task)))
            logger.info("agent \(name) resent \(stored.count) unacknowledged result(s) from the outbox")
        }
    }

    /// The session on `queue` ended; results wait in the outbox for the next one.
    func detach(queue: OutboundQueue) {
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

    private func checkIdle() {
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
            logger.warning("agent \(name) ignores a repeated assignment of \(task)")
            return
        }
        attempts[task] = Entry(assignment: assignment, phase: .waiting)
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
            waiting.removeAll { $0 == task }
        case .running(let handle):
            handle.cancel()
            executing -= 1
        case .storing:
            // The result is being written; it will be sent and acknowledged `stale`.
            return
        }
        attempts[task] = nil
        logger.info("agent \(name) cancelled \(task): \(reason)")
        events(.attemptCancelled(task, reason: reason))
        startWaiting()
        checkIdle()
    }

    private func start(_ task: TaskRef) {
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
        link?.queue.send(.started(.init(task: task, startedAt: .now())))
        logger.debug("agent \(name) started \(task)")
        events(.attemptStarted(task))
    }

    private func startWaiting() {
        while executing < slots, !waiting.isEmpty {
            start(waiting.removeFirst())
        }
    }

    private func finished(_ task: TaskRef, outcome: JSONValue, at finishedAt: WireTimestamp) {
        guard var entry = attempts[task], case .running = entry.phase else { return }
        executing -= 1
        entry.phase = .storing
        attempts[task] = entry
        pendingStore.append(WireMessage.TaskResult(task: task, outcome: outcome, finishedAt: finishedAt))
        scheduleFlush()
        startWaiting()
    }

    // MARK: - Results

    /// The coordinator acknowledged a result: delete it from the outbox (in the next group commit).
    func acknowledged(_ ack: WireMessage.Ack) {
        link?.sent.remove(ack.task)
        guard unacked.remove(ack.task) != nil else {
            logger.debug("agent \(name): ack for \(ack.task) (\(ack.status.rawValue)) not in the outbox; ignored")
            return
        }
        pendingRemove.append(ack.task)
        if ack.status != .committed {
            logger.info("agent \(name): result of \(ack.task) acknowledged \(ack.status.rawValue)")
        }
        events(.acknowledged(ack.task, ack.status))
        scheduleFlush()
        checkIdle()
    }

    private func scheduleFlush() {
        guard !flushing, failure == nil, !closed else { return }
        flushing = true
        Task { await self.flush() }
    }

    /// Commits what piled up, then sends the stored results; repeats while more piled up meanwhile.
    private func flush() async {
        while failure == nil, !pendingStore.isEmpty || !pendingRemove.isEmpty {
            let storing = pendingStore
            let removing = pendingRemove
            pendingStore = []
            pendingRemove = []
            do {
                try await outbox.apply(storing: storing, removing: removing)
            } catch {
                fail(AgentError(.outbox, operation: "store results", reason: error.description))
                break
            }
            stored(storing)
        }
        flushing = false
        let waiters = flushWaiters
        flushWaiters = []
        for waiter in waiters { waiter.resume() }
        checkIdle()
    }

    private func stored(_ results: [WireMessage.TaskResult]) {
        guard !results.isEmpty else { return }
        var fresh: [WireMessage.TaskResult] = []
        fresh.reserveCapacity(results.count)
        for result in results {
            attempts[result.task] = nil
            unacked.insert(result.task)
            let success = result.outcome["success"]?.boolValue ?? false
            logger.info("agent \(name) finished \(result.task): \(Self.summary(result.outcome, success: success))")
            events(.attemptFinished(result.task, success: success))
            if link?.sent.insert(result.task).inserted == true { fresh.append(result) }
        }
        if let link, !fresh.isEmpty {
            link.queue.send(contentsOf: fresh.map(WireMessage.result))
            events(.resultsSent(fresh.map(\.task)))
        }
    }

    /// `success in 12.3 ms` or `failed: <reason>` for a log line.
    private static func summary(_ outcome: JSONValue, success: Bool) -> String {
        if success {
            let ms = outcome["duration_ms"]?.doubleValue.map { String(format: "%.1f", $0) } ?? "?"
            return "success in \(ms) ms"
        }
        let reason = outcome["error_message"]?.stringValue ?? outcome["error"]?.stringValue ?? "no reason given"
        return "failed: \(reason.prefix(200))"
    }

    /// Waits until no outbox transaction is in progress and nothing is pending (pending deletions included).
    func flushPending() async {
        if !flushing, !pendingStore.isEmpty || !pendingRemove.isEmpty { scheduleFlush() }
        guard flushing else { return }
        await withCheckedContinuation { flushWaiters.append($0) }
    }

    // MARK: - Failure and shutdown

    private func fail(_ error: AgentError) {
        guard failure == nil else { return }
        logger.critical("\(error.description); the agent stops (its results stay in the outbox)")
        failure = error
        let waiters = failureWaiters.values
        failureWaiters.removeAll()
        for waiter in waiters { waiter.resume(returning: error) }
    }

    /// Returns the error that made the agent unable to keep results safe, once there is one; nil when the calling
    /// task is cancelled first.
    func waitForFailure() async -> AgentError? {
        let id = nextWaiterID
        nextWaiterID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<AgentError?, Never>) in
                if let failure {
                    continuation.resume(returning: failure)
                } else if Task.isCancelled {
                    continuation.resume(returning: nil)
                } else {
                    failureWaiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.resumeFailureWaiter(id) }
        }
    }

    private func resumeFailureWaiter(_ id: Int) {
        failureWaiters.removeValue(forKey: id)?.resume(returning: nil)
    }

    /// Stops every attempt (their trainer calls are abandoned), commits pending outbox changes and closes the
    /// outbox (releasing its lock). Nothing is stored after this; late finishers are ignored.
    func shutdown() async {
        for (task, entry) in attempts {
            if case .running(let handle) = entry.phase { handle.cancel() }
            if case .storing = entry.phase { continue }
            attempts[task] = nil
        }
        waiting.removeAll()
        executing = 0
        await flushPending()
        closed = true
        link = nil
        outbox.close()
    }
}
