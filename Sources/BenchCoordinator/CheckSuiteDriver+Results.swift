import BenchCore
import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation

/// Results, signs of life, lost attempts and completion of the suite's check tasks.
extension CheckSuiteDriver {
    /// How a heartbeat or `started` listing a check task is answered.
    enum Liveness: Sendable, Equatable {
        /// The agent's current attempt: its lease was renewed.
        case renewed
        /// Its outcome is already known: nothing to do.
        case finished
        /// Not this agent's current attempt: cancel it.
        case notCurrent(reason: String)
    }

    /// A check finished or the suite completed, after ``advance()``.
    enum Step: Sendable, Equatable {
        /// The check's (combined) outcome is known; `position` of `count` checks of the suite.
        case checkFinished(CheckSuiteRun, CheckOutcome, position: Int, count: Int)
        /// Every check has its outcome: mark the run complete.
        case suiteCompleted(CheckSuiteRun, [CheckOutcome])
    }

    /// Takes the result of attempt `ref` from `agent` (the authenticated identity, or ``localHost``).
    mutating func accept(_ ref: TaskRef, agent: String, outcome value: JSONValue, now: Date) -> Acceptance {
        guard var open = suite, let index = open.current.firstIndex(where: { $0.taskID == ref.taskID }) else {
            return .stale(reason: "\(ref.taskID) is not a task of the check in progress")
        }
        let state = open.current[index]
        guard state.attempt == ref.attempt else {
            return .stale(reason: "attempt \(state.attempt) of \(ref.taskID) is the current one")
        }
        switch state.placement {
        case .done(let outcome):
            return .duplicate(suiteRunID: open.run.id, outcome)
        case .assigned(let holder, _, _, _) where holder == agent:
            break
        case .local where agent == Self.localHost:
            break
        default:
            return .stale(reason: "\(ref) is not held by \(agent)")
        }
        let outcome = Self.outcome(from: value, of: state, agent: agent, now: now)
        open.current[index].placement = .done(outcome)
        suite = open
        return .record(suiteRunID: open.run.id, outcome)
    }

    /// The outcome an agent reported, as the coordinator records it: the task's check and share, the authenticated
    /// agent; anything but a ``CheckOutcome`` of the task's check is an `error` saying what arrived.
    static func outcome(from value: JSONValue, of state: CheckTaskState, agent: String, now: Date) -> CheckOutcome {
        let decoded: CheckOutcome
        do {
            decoded = try CheckOutcome(wireValue: value)
        } catch {
            if value["success"] == .bool(false), let cause = value["error"]?.stringValue {
                return state.errorOutcome("\(agent) could not run the check: \(cause)", agent: agent, at: now)
            }
            return state.errorOutcome("\(agent) answered an unreadable check outcome: \(error)", agent: agent, at: now)
        }
        guard decoded.check == state.task.check else {
            return state.errorOutcome("\(agent) answered an outcome of \(decoded.check.rawValue) for a task of "
                                      + "\(state.task.check.rawValue)", agent: agent, at: now)
        }
        var outcome = decoded
        outcome.share = state.task.check.isConcurrent ? state.task.share : nil
        outcome.agent = agent
        outcome.samples = outcome.samples.map { sample in
            var sample = sample
            sample.agent = agent
            return sample
        }
        return outcome
    }

    /// A heartbeat, `started` or `progress` of `agent` lists `ref`.
    mutating func alive(_ ref: TaskRef, agent: String, now: Date) -> Liveness {
        guard var open = suite, let index = open.current.firstIndex(where: { $0.taskID == ref.taskID }),
              open.current[index].attempt == ref.attempt
        else {
            return .notCurrent(reason: "not a current check task (no longer current)")
        }
        switch open.current[index].placement {
        case .assigned(let holder, let session, _, let deadline) where holder == agent:
            open.current[index].placement = .assigned(
                agent: holder, sessionID: session, leaseUntil: now.addingTimeInterval(configuration.leaseSeconds),
                deadline: deadline)
            suite = open
            return .renewed
        case .done:
            return .finished
        default:
            return .notCurrent(reason: "\(ref) is not held by \(agent)")
        }
    }

    /// Closes every assigned attempt whose lease or deadline has run out at `now`.
    mutating func expire(now: Date) -> [Loss] {
        guard var open = suite else { return [] }
        var losses: [Loss] = []
        for index in open.current.indices {
            guard case .assigned(let agent, _, let lease, let deadline) = open.current[index].placement,
                  now >= lease || now >= deadline
            else { continue }
            let reason = now >= lease
                ? "lease expired (no sign of life for \(Scheduler.seconds(configuration.leaseSeconds)) s)"
                : "no result within the check's worst-case time plus one lease"
            losses.append(lose(&open, index, agent: agent, reason: reason, now: now))
        }
        suite = open
        return losses
    }

    /// A (re)connecting agent's `hello`: its check attempts it still runs are re-attached (or cancelled when no
    /// longer its own); those it holds but no longer has are lost at once.
    mutating func reconcile(agent: String, running: [TaskRef], queued: [TaskRef], now: Date)
        -> (reattached: [TaskRef], cancelled: [TaskRef], losses: [Loss])
    {
        var reattached: [TaskRef] = []
        var cancelled: [TaskRef] = []
        for ref in running where Self.isCheckTask(ref) {
            switch alive(ref, agent: agent, now: now) {
            case .renewed, .finished: reattached.append(ref)
            case .notCurrent: cancelled.append(ref)
            }
        }
        guard var open = suite else { return (reattached, cancelled, []) }
        let listed = Set(running).union(queued)
        var losses: [Loss] = []
        for index in open.current.indices where open.current[index].agent == agent
            && !listed.contains(open.current[index].ref) {
            losses.append(lose(&open, index, agent: agent, reason: "agent reconnected without it", now: now))
        }
        suite = open
        return (reattached, cancelled, losses)
    }

    private func lose(_ open: inout OpenSuite, _ index: Int, agent: String, reason: String, now: Date) -> Loss {
        var state = open.current[index]
        let ref = state.ref
        state.lostAttempts.append("attempt \(state.attempt) on \(agent): \(reason)")
        var gaveUp: (String, CheckOutcome)?
        if state.attempt >= configuration.maxAttempts {
            let outcome = state.errorOutcome(
                "no result after \(state.attempt) attempts (" + state.lostAttempts.joined(separator: "; ") + ")",
                agent: nil, at: now)
            state.placement = .done(outcome)
            gaveUp = (open.run.id, outcome)
        } else {
            state.attempt += 1
            state.placement = .pending
        }
        open.current[index] = state
        return Loss(ref: ref, agent: agent, reason: reason, gaveUp: gaveUp)
    }

    /// Finishes the check in progress once every task has its outcome (shares combined), and the suite once every
    /// check has finished.
    mutating func advance() -> [Step] {
        guard var open = suite else { return [] }
        var steps: [Step] = []
        let outcomes = open.current.compactMap(\.outcome)
        if let kind = open.current.first?.task.check, outcomes.count == open.current.count {
            let combined = CheckOutcome.combining(shares: outcomes, kind: kind, settings: configuration.plan.settings)
            open.finished.append(combined)
            open.current = []
            steps.append(.checkFinished(open.run, combined, position: open.finished.count,
                                        count: open.finished.count + open.queue.count))
        }
        if open.current.isEmpty && open.queue.isEmpty {
            steps.append(.suiteCompleted(open.run, open.finished))
            remainingPhases.removeFirst()
            suite = nil
        } else {
            suite = open
        }
        return steps
    }
}
