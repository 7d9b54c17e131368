import BenchCore
import Foundation

/// What the scheduler tells operators: why it waits, and where the collection stands.
extension Scheduler {
    /// Logs why nothing could be assigned, once per condition.
    func noteWaiting(_ plan: DispatchPlanner.Plan, now: Date) {
        var text: String?
        if case .opensAt(let time, let day) = board.gate(now: now, dayGap: settings.dayGap), !order.isEmpty {
            text = "day \(day - 1) finished; day \(day) starts at \(MetricsExport.isoTimestamp(time)) (day gap)"
        } else if !plan.unroutable.isEmpty {
            let needs = plan.unroutable.map { index in
                "jobs[\(index)] needs labels " + configLabels[index].sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            }
            text = "pending jobs no connected agent may run: " + needs.joined(separator: "; ")
        }
        if let text, text != loggedWait {
            logger.notice("\(text)")
        }
        loggedWait = text
    }

    // MARK: - Progress

    /// Where the collection stands, for progress lines.
    func progress() -> CoordinatorProgress {
        let elapsed = clock.now().timeIntervalSince(startedAt)
        let doneThisRun = board.doneCount - doneAtStart
        let remaining = board.total - board.doneCount
        let eta = doneThisRun > 0 && elapsed > 0 ? elapsed / Double(doneThisRun) * Double(remaining) : nil
        return CoordinatorProgress(
            total: board.total, done: board.doneCount, doneAtStart: doneAtStart, inFlight: board.inFlight,
            agentsConnected: sessions.count, failedMeasurements: failedMeasurements, harnessErrors: harnessErrors,
            elapsedSeconds: elapsed, etaSeconds: eta, checkSuite: checks?.progress)
    }

    static func earliest(_ a: Date?, _ b: Date?) -> Date? {
        switch (a, b) {
        case (let a?, let b?): return min(a, b)
        case (let a?, nil): return a
        case (nil, let b): return b
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.3g", value)
    }
}
