import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation

/// After a round's commit: moving the board to the committed state and telling the agents.
extension Scheduler {
    /// Messages per session, sent with one mailbox call each so that they share one flush.
    struct Outgoing {
        private(set) var bySession: [UInt64: (session: AgentSession, messages: [WireMessage])] = [:]

        mutating func add(_ message: WireMessage, to session: AgentSession) {
            bySession[session.id, default: (session, [])].messages.append(message)
        }

        func send() {
            for (session, messages) in bySession.values { session.mailbox.send(messages) }
        }
    }

    func applyOutcome(
        _ outcome: SchedulingBatchOutcome, results taken: [PendingResult], closures closed: [PendingClosure],
        assignments planned: [DispatchPlanner.Assignment], now: Date
    ) throws(CoordinatorError) {
        var outgoing = Outgoing()
        for (pending, recorded) in zip(taken, outcome.results) {
            try applyResult(pending, recorded, now: now, outgoing: &outgoing)
        }
        for (pending, result) in zip(closed, outcome.closures) {
            try applyClosure(pending, result, now: now, outgoing: &outgoing)
        }
        for (assignment, result) in zip(planned, outcome.assignments) {
            guard result == .assigned else {
                throw inconsistent("assign \(assignment.task)", result)
            }
            board.leaseCommitted(assignment.index)
            CrashPoint.reach(.leaseBeforeAssign)
            if let session = sessions[assignment.agent], session.id == assignment.sessionID {
                let entry = board[assignment.index]
                outgoing.add(.assign(WireMessage.Assign(
                    task: Self.ref(assignment.task), kind: .train,
                    leaseMS: Int(settings.leaseSeconds * 1000),
                    timeoutMS: max(1, Int((settings.plan.timeoutSeconds * 1000).rounded())),
                    payload: payloads.payload(for: entry.spec), target: entry.spec.target,
                    targetURL: targetURL(of: entry.spec), after: assignment.after.map(Self.ref))), to: session)
                logger.debug("assigned \(assignment.task) to \(assignment.agent)",
                             metadata: TaskLogMetadata.of(assignment.task, agent: assignment.agent))
            } else {
                // The agent left while the assignment was committing: give the attempt back without blame.
                board.beginClose(assignment.index)
                closures.append(PendingClosure(index: assignment.index, closure: AttemptClosure(
                    jobID: assignment.task.jobID, attempt: assignment.task.attempt, agent: assignment.agent,
                    kind: .released, reason: "assignment not delivered")))
                signal()
            }
        }
        outgoing.send()
    }

    private func applyResult(
        _ pending: PendingResult, _ recorded: RecordOutcome, now: Date, outgoing: inout Outgoing
    ) throws(CoordinatorError) {
        let name = pending.session.name
        let metadata = TaskLogMetadata.of(pending.task, agent: name)
        guard board.resultRecorded(pending.task, agent: name, outcome: recorded, now: now) else {
            throw inconsistent("record result \(pending.task)", recorded)
        }
        let status: AckStatus
        var reason: String?
        switch recorded {
        case .committed:
            CrashPoint.reach(.commitBeforeAck)
            status = .committed
            if !pending.metric.success { failedMeasurements += 1 }
            logger.info("result \(pending.task) from \(name): \(Self.describe(pending.metric)) "
                        + "[\(board.doneCount)/\(board.total)]", metadata: metadata)
        case .duplicate:
            status = .duplicate
            logger.info("result \(pending.task) from \(name) was already recorded (duplicate)", metadata: metadata)
        case .stale:
            status = .stale
            logger.notice("late result \(pending.task) from \(name) kept for audit, not counted (stale)",
                          metadata: metadata)
        case .notYours(let refusal):
            // Nothing stored or counted; the explicit answer stops the agent from resending it (docs/protocol.md).
            status = .refused
            reason = refusal
            logger.warning("refused result \(pending.task) from agent \(name): \(refusal)", metadata: metadata)
        }
        outgoing.add(.ack(.init(task: Self.ref(pending.task), status: status, reason: reason)), to: pending.session)
    }

    private func applyClosure(
        _ pending: PendingClosure, _ result: ClosureOutcome, now: Date, outgoing: inout Outgoing
    ) throws(CoordinatorError) {
        let closure = pending.closure
        let task = TaskKey(jobID: closure.jobID, attempt: closure.attempt)
        let metadata = TaskLogMetadata.of(task, agent: closure.agent)
        guard board.closed(pending.index, outcome: result, now: now) else {
            throw inconsistent("close \(task)", result)
        }
        if let session = pending.acknowledge {
            outgoing.add(.ack(.init(task: Self.ref(task), status: result == .notCurrent ? .stale : .committed)),
                         to: session)
        }
        switch result {
        case .requeued where closure.kind == .trainerUnreachable:
            logger.notice("\(task) of agent \(closure.agent) could not run (\(closure.reason)): harness failure, not "
                          + "a measurement; job re-queued as attempt \(closure.attempt + 1)", metadata: metadata)
        case .requeued:
            logger.notice("\(task) of agent \(closure.agent) is lost (\(closure.reason)); job re-queued as attempt "
                          + "\(closure.attempt + 1)", metadata: metadata)
        case .gaveUp:
            harnessErrors += 1
            logger.warning("job \(closure.jobID) given up after \(settings.plan.maxAttempts) lost attempts "
                           + "(harness error; last: \(task) on \(closure.agent), \(closure.reason))",
                           metadata: metadata)
        case .released:
            logger.info("\(task) released (\(closure.reason)); job pending again", metadata: metadata)
        case .unsent:
            logger.notice("\(task) of agent \(closure.agent) was never reported by an agent before a coordinator "
                          + "restart (\(closure.reason)): closed as unsent, not counted; job pending again",
                          metadata: metadata)
        case .notCurrent:
            return
        }
        if closure.kind == .expired, let session = sessions[closure.agent] {
            outgoing.add(.cancel(.init(task: Self.ref(task), reason: closure.reason)), to: session)
            agents[closure.agent]?.release(task, readyAt: now.addingTimeInterval(settings.jobGap))
        }
    }

    private func inconsistent(_ operation: String, _ outcome: some Sendable) -> CoordinatorError {
        closeAllSessions(reason: "coordinator error: inconsistent state")
        phase = .finished
        return CoordinatorError(.inconsistentState, operation: operation,
                                reason: "the database answered \(outcome), which the scheduler did not expect; "
                                    + "is another process writing this database?")
    }

    static func describe(_ metric: BaselineMetric) -> String {
        metric.success
            ? "ok \(Int(metric.durationMs.rounded())) ms"
            : "FAILED (\(metric.errorMessage?.prefix(160) ?? "no reason"))"
    }
}
