import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation

/// What agent connections report to the scheduler.
extension Scheduler {
    /// Admits an agent that said `hello`: replaces an older session of the same identity, re-attaches the attempts
    /// it still runs, cancels those that are no longer its own, closes those it lost, and queues the `welcome`
    /// (the first message of its mailbox).
    func register(_ session: AgentSession, hello: WireMessage.Hello) -> Registration {
        switch phase {
        case .stopping, .finished:
            return .rejected(.shuttingDown, reason: "the coordinator is shutting down")
        case .running, .draining:
            break
        }
        if let refusal = featureRefusal(hello) { return .rejected(.featureMissing, reason: refusal) }
        let now = clock.now()
        let name = session.name
        if let old = sessions[name] {
            logger.notice("agent \(name): new session from \(session.remoteAddress) replaces the one from "
                          + "\(old.remoteAddress)")
            old.close(reason: "replaced by a new session")
            removeAgent(name)
        }
        let checkTasks = reconcileChecks(agent: name, hello: hello, now: now)
        let reconciliation = HelloReconciliation(
            held: board.attemptsHeld(by: name),
            running: hello.running.filter { !CheckSuiteDriver.isCheckTask($0) }.map(Self.key),
            queued: hello.queuedResults.map(Self.key), leasing: { [board] in board.isLeasing($0, to: name) })
        for task in reconciliation.reattached { renew(task, agent: name, now: now) }
        for task in reconciliation.lost {
            guard let index = board.index(of: task.jobID) else { continue }
            board.beginClose(index)
            closures.append(PendingClosure(index: index, closure: AttemptClosure(
                jobID: task.jobID, attempt: task.attempt, agent: name, kind: .abandoned,
                reason: "agent reconnected without it")))
            logger.notice("agent \(name) reconnected without \(task) (neither running nor in its outbox): "
                          + "closed as a harness failure", metadata: TaskLogMetadata.of(task, agent: name))
        }
        let readyAt = max(now, settings.resumeNotBefore ?? now)
        var slots = AgentSlots(
            name: name, sessionID: session.id, slots: hello.slots,
            allowedConfigs: AgentSlots.allowedConfigs(labels: hello.labels, configLabels: configLabels),
            occupied: Set(reconciliation.reattached), readyAt: readyAt)
        pairReattached(reconciliation.reattached, in: &slots, readyAt: readyAt)
        var messages: [WireMessage] = [.welcome(WireMessage.Welcome(
            agentID: name, collectionID: settings.collectionID, heartbeatIntervalMS: settings.heartbeatIntervalMS,
            heartbeatTimeoutMS: settings.heartbeatTimeoutMS,
            reattached: reconciliation.reattached.map(Self.ref) + checkTasks.reattached,
            cancelled: reconciliation.cancelled.map(Self.ref) + checkTasks.cancelled))]
        if case .draining = phase {
            slots.draining = true
            messages.append(.drain(.init(reason: "collection complete")))
        }
        agents[name] = slots
        registerTrainer(name, unreachable: hello.trainerUnreachable, now: now)
        sessions[name] = session
        order.append(name)
        session.mailbox.send(messages)
        let labels = hello.labels.isEmpty
            ? "" : ", labels " + hello.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: ",")
        logger.notice("agent \(name) connected from \(session.remoteAddress): \(hello.slots) slots\(labels), "
                      + "\(reconciliation.reattached.count) re-attached, \(reconciliation.cancelled.count) cancelled, "
                      + "\(hello.queuedResults.count) queued results")
        signal()
        return .welcomed
    }

    /// The connection of `session` ended. Its attempts keep their leases (a quick reconnect re-attaches them).
    func unregister(_ session: AgentSession, reason: String) {
        guard sessions[session.name]?.id == session.id else { return }
        let held = board.attemptsHeld(by: session.name).count
        sessions[session.name] = nil
        removeAgent(session.name)
        logger.notice("agent \(session.name) disconnected (\(reason)); "
                      + (held == 0 ? "it held no attempts" : "its \(held) attempts keep their leases"))
        signal()
    }

    /// A heartbeat: renews the leases of the listed attempts this agent holds; cancels listed attempts that are
    /// no longer its own.
    func heartbeat(_ session: AgentSession, running: [TaskRef], trainerUnreachable: String? = nil) {
        guard sessions[session.name]?.id == session.id else { return }
        let now = clock.now()
        noteTrainer(session.name, unreachable: trainerUnreachable, now: now)
        var cancels: [WireMessage] = []
        for ref in running {
            if CheckSuiteDriver.isCheckTask(ref) {
                if let cancel = checkAlive(ref, agent: session.name, now: now) { cancels.append(cancel) }
                continue
            }
            let task = Self.key(ref)
            if board.isHeld(task, by: session.name) {
                renew(task, agent: session.name, now: now)
            } else if !board.isLeasing(task, to: session.name) && !isClosing(task, agent: session.name) {
                cancels.append(.cancel(.init(task: ref, reason: "not an attempt of this agent (no longer current)")))
            }
        }
        session.mailbox.send(cancels)
    }

    /// `started` or `progress`: the attempt is alive.
    func alive(_ session: AgentSession, task ref: TaskRef) {
        guard !CheckSuiteDriver.isCheckTask(ref) else {
            if let cancel = checkAlive(ref, agent: session.name, now: clock.now()) { session.mailbox.send(cancel) }
            return
        }
        let task = Self.key(ref)
        guard board.isHeld(task, by: session.name) else { return }
        renew(task, agent: session.name, now: clock.now())
    }

    /// A result to commit (next round) and acknowledge (after the commit). Frees the agent's slot at once.
    /// `submission` comes from ``submission(for:task:agent:)``, prepared on the connection's task.
    func result(_ session: AgentSession, task ref: TaskRef, submission: ResultSubmission) {
        let task = Self.key(ref)
        if board.resultArrived(task, agent: session.name) {
            agents[session.name]?.release(task, readyAt: clock.now().addingTimeInterval(settings.jobGap))
        }
        results.append(PendingResult(session: session, task: task, submission: submission))
        signal()
    }

    func renew(_ task: TaskKey, agent: String, now: Date) {
        let until = now.addingTimeInterval(settings.leaseSeconds)
        confirmDelivery(task, agent: agent, until: until)
        if let renewal = board.renew(task, agent: agent, until: until, now: now,
                                     persistMargin: settings.leaseSeconds / 2) {
            logger.debug("renewed lease of \(task) until \(MetricsExport.isoTimestamp(renewal.until))")
            renewals[task.jobID] = renewal
            signal()
        }
    }

    func isClosing(_ task: TaskKey, agent: String) -> Bool {
        guard let index = board.index(of: task.jobID) else { return false }
        let entry = board[index]
        return entry.phase == .closing && entry.attempt == task.attempt && entry.agent == agent
    }

    func removeAgent(_ name: String) {
        agents[name] = nil
        order.removeAll { $0 == name }
    }

    static func key(_ ref: TaskRef) -> TaskKey { TaskKey(jobID: ref.taskID, attempt: ref.attempt) }
    static func ref(_ key: TaskKey) -> TaskRef { TaskRef(taskID: key.jobID, attempt: key.attempt) }
}
