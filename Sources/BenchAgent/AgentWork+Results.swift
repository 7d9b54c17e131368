import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire

/// The way of results: group-committed to the outbox, sent, deleted on ack; and the agent's stop.
extension AgentWork {
    // MARK: - Results

    /// The coordinator acknowledged a result: delete it from the outbox (in the next group commit; see
    /// ``removalsDue``), or, when it was refused, keep it marked refused (committed at once) and stop sending it.
    func acknowledged(_ ack: WireMessage.Ack) {
        link?.sent.remove(ack.task)
        guard unacked.remove(ack.task) != nil else {
            logger.debug("agent \(name): ack for \(ack.task) (\(ack.status.rawValue)) not in the outbox; ignored",
                         metadata: logMetadata(ack.task))
            return
        }
        let key = OutboxKey(collectionID: collectionID, task: ack.task)
        if ack.status == .refused {
            let reason = ack.reason ?? "no reason given"
            pendingRefuse.append(OutboxRefusal(key: key, reason: reason))
            logger.warning("""
                agent \(name): the coordinator refused the result of \(ack.task): \(reason); it stays in the outbox \
                \(outbox.path) marked refused and is not resent to this collection
                """, metadata: logMetadata(ack.task))
            events(.acknowledged(ack.task, ack.status))
            scheduleFlush()
            checkIdle()
            return
        }
        pendingRemove.append(key)
        if ack.status != .committed {
            logger.info("agent \(name): result of \(ack.task) acknowledged \(ack.status.rawValue)",
                        metadata: logMetadata(ack.task))
        }
        events(.acknowledged(ack.task, ack.status))
        if removalsDue { scheduleFlush() }
        checkIdle()
    }

    /// Whether acknowledged results should be deleted in a transaction of their own now: only once a slot's worth
    /// piled up. Otherwise deletions wait for the next commit of new results (one fsync for both instead of two,
    /// and no deletion commit between an ack and the results of the assignments that came with it), for the next
    /// heartbeat (``commitDeferredDeletions()``), or for the agent's stop or drain (``flushPending()``). An
    /// acknowledged result that a crash leaves in the outbox is only resent and acknowledged `duplicate`.
    var removalsDue: Bool {
        pendingRemove.count >= slots
    }

    /// Commits deletions still waiting for new results; called on every heartbeat, so that an idle agent's outbox
    /// holds acknowledged results for at most a heartbeat interval.
    func commitDeferredDeletions() {
        if !pendingRemove.isEmpty { scheduleFlush(includingRemovals: true) }
    }

    /// After `welcome` of a coordinator running `current`: resends, on `queue`, every unacknowledged result of
    /// that collection and every untagged one (rows of outboxes older than collection tags), and holds back the
    /// results of other collections: they stay in the outbox, logged once per session with where they are.
    func resendStored(on queue: OutboundMessageQueue, collectionID current: String) {
        let previous = collectionID
        collectionID = current
        let entries: [OutboxEntry]
        do {
            entries = try outbox.pendingEntries()
        } catch {
            fail(AgentError(.outbox, operation: "resend results", reason: error.description))
            return
        }
        // Same collection as before (or the first welcome): rows missing from `unacked` were acknowledged and are
        // being deleted. Another collection: its rows were held back, so `unacked` does not list them.
        let sameCollection = previous == nil || previous == current
        var resend: [WireMessage.TaskResult] = []
        var untagged = 0
        var refused = 0
        var heldBack: [String: Int] = [:]
        for entry in entries {
            let task = entry.result.task
            if entry.refusedReason != nil { refused += 1 }
            guard !entry.isSettledRefusal else { continue }
            guard entry.isDeliverable(to: current) else {
                heldBack[entry.collectionID ?? "", default: 0] += 1
                continue
            }
            if sameCollection ? !unacked.contains(task) : isBeingRemoved(entry) { continue }
            if entry.collectionID == nil { untagged += 1 }
            resend.append(entry.result)
        }
        unacked = Set(resend.map(\.task))
        var link = Link(queue: queue)
        link.sent = unacked
        self.link = link
        for (collection, count) in heldBack.sorted(by: { $0.key < $1.key }) {
            logger.notice("""
                agent \(name) holds back \(count) result(s) of collection \(collection) (the coordinator runs \
                \(current)); they stay in the outbox \(outbox.path)
                """)
            events(.resultsHeldBack(collectionID: collection, count: count))
        }
        if refused > 0 {
            logger.warning("""
                agent \(name) keeps \(refused) result(s) the coordinator refused in the outbox \(outbox.path) (rows \
                with refused_reason set); they are not resent to their collection
                """)
            events(.refusedResultsKept(count: refused, path: outbox.path))
        }
        if untagged > 0 {
            logger.notice("""
                agent \(name) sends \(untagged) result(s) stored before outboxes recorded their collection; results \
                the coordinator does not know are refused and resent only on the next session
                """)
        }
        if !resend.isEmpty {
            queue.send(contentsOf: resend.map(WireMessage.result))
            events(.resultsSent(resend.map(\.task)))
            logger.info("agent \(name) resent \(resend.count) unacknowledged result(s) from the outbox")
        }
    }

    /// Whether a pending deletion (an ack not yet committed) covers `entry`: its attempt, in its collection or
    /// untagged.
    private func isBeingRemoved(_ entry: OutboxEntry) -> Bool {
        pendingRemove.contains { key in
            key.task == entry.result.task && (entry.collectionID == nil || key.collectionID == entry.collectionID)
        }
    }

    func scheduleFlush(includingRemovals: Bool = false) {
        guard !flushing, failure == nil, !closed else { return }
        flushing = true
        Task { await self.flush(includingRemovals: includingRemovals) }
    }

    /// Commits what piled up, then sends the stored results; repeats while more piled up meanwhile. Deletions go
    /// with stored results, on their own only when ``removalsDue`` (or `includingRemovals`).
    private func flush(includingRemovals: Bool) async {
        while failure == nil, !pendingStore.isEmpty || !pendingRefuse.isEmpty || removalsDue
            || includingRemovals && !pendingRemove.isEmpty
        {
            let storing = pendingStore
            let removing = pendingRemove
            let refusing = pendingRefuse
            pendingStore = []
            pendingRemove = []
            pendingRefuse = []
            do {
                try await outbox.apply(storing: storing, removing: removing, refusing: refusing)
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

    private func stored(_ entries: [OutboxEntry]) {
        guard !entries.isEmpty else { return }
        CrashPoint.reach(.agentAfterOutbox)
        var fresh: [WireMessage.TaskResult] = []
        fresh.reserveCapacity(entries.count)
        for entry in entries {
            let result = entry.result
            attempts[result.task] = nil
            let success = result.outcome["success"]?.boolValue ?? false
            logger.info("agent \(name) finished \(result.task): \(Self.summary(result.outcome, success: success))",
                        metadata: logMetadata(result.task))
            events(.attemptFinished(result.task, success: success))
            if let current = collectionID, let own = entry.collectionID, own != current {
                logger.notice("""
                    agent \(name) holds back the result of \(result.task): it belongs to collection \(own), the \
                    coordinator runs \(current); it stays in the outbox \(outbox.path)
                    """, metadata: logMetadata(result.task))
                events(.resultsHeldBack(collectionID: own, count: 1))
                continue
            }
            unacked.insert(result.task)
            if link?.sent.insert(result.task).inserted == true { fresh.append(result) }
        }
        if let link, !fresh.isEmpty {
            link.queue.send(contentsOf: fresh.map(WireMessage.result))
            events(.resultsSent(fresh.map(\.task)))
        }
    }

    /// `success in 12.3 ms` or `failed: <reason>` for a log line: a measurement read by its one reader
    /// (`BaselineMetric(wireValue:)`), any other outcome by its `error` (``AttemptRunner/failedOutcome(_:)``).
    private static func summary(_ outcome: JSONValue, success: Bool) -> String {
        let metric = try? BaselineMetric(wireValue: outcome)
        if success {
            let ms = metric.map { String(format: "%.1f", $0.durationMs) } ?? "?"
            return "success in \(ms) ms"
        }
        let reason = metric?.errorMessage ?? outcome["error"]?.stringValue ?? "no reason given"
        return "failed: \(reason.prefix(200))"
    }

    /// Waits until no outbox transaction is in progress and nothing is pending (pending deletions included), or
    /// the outbox failed or was closed. Every pass commits what is pending, so this ends once nothing new arrives.
    func flushPending() async {
        while failure == nil, !closed,
            flushing || !pendingStore.isEmpty || !pendingRemove.isEmpty || !pendingRefuse.isEmpty
        {
            if !flushing { scheduleFlush(includingRemovals: true) }
            await withCheckedContinuation { flushWaiters.append($0) }
        }
    }

    // MARK: - Failure and shutdown

    func fail(_ error: AgentError) {
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
