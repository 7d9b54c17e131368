import BenchAgent
import BenchCore
import BenchStore
import Foundation

/// Shows a collection's progress: one live line on a terminal, plain log lines otherwise.
final class ProgressPrinter: Sendable {
    struct State {
        var total = 0
        var doneAtStart = 0
        var done = 0
        var failed = 0
        var running = 0
    }

    let isTerminal: Bool
    let start = ContinuousClock.now
    let state = PThreadLockedValue(State())

    init(isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        self.isTerminal = isTerminal
    }

    func handle(_ event: CollectionEvent) {
        switch event {
        case .opened(let id, let created, let total, let alreadyDone, let abandoned):
            state.withLock {
                $0.total = total
                $0.doneAtStart = alreadyDone
                $0.done = alreadyDone
            }
            let verb = created ? "started new collection" : "resuming collection"
            line("\(verb) \(id): \(alreadyDone)/\(total) jobs done")
            for attempt in abandoned {
                line("attempt \(attempt.attempt) of \(attempt.jobID) was cut short by an earlier run; "
                     + (attempt.gaveUp ? "job given up (harness error)" : "job will run again"))
            }
        case .started(let job, let attempt):
            state.withLock { $0.running += 1 }
            if !isTerminal { line("start \(job.taskID) attempt \(attempt)") }
            render()
        case .finished(let metric, let outcome, let status):
            state.withLock {
                $0.running -= 1
                $0.done = status.done
                $0.failed = status.failedMeasurements + status.harnessErrors
            }
            if !isTerminal || !metric.success {
                let what = metric.success
                    ? "ok \(PythonRounding.format(metric.durationMs, places: 0)) ms"
                    : "FAILED (\(metric.errorMessage ?? "unknown"))"
                let side = metric.target.map { "@\($0)" } ?? ""
                line("done \(metric.jobID)\(side) attempt \(metric.attempt): \(what) [\(status.done)/\(status.total)]"
                     + (outcome == .committed ? "" : " (\(outcome))"))
            }
            render()
        case .waitingForDayGap(let until):
            line("day finished; next day starts at \(MetricsExport.isoTimestamp(until)) (day gap)")
        case .completed(let status):
            if isTerminal { print("") }
            line("collection complete: \(status.done)/\(status.total) jobs, \(status.failedMeasurements) failed "
                 + "measurements, \(status.harnessErrors) harness errors, elapsed \(Self.clock(elapsed()))")
        }
    }

    func elapsed() -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// The live line: done/total, failures, running, elapsed, ETA from this run's pace.
    func render() {
        guard isTerminal else { return }
        let s = state.withLock { $0 }
        let elapsed = elapsed()
        let doneThisRun = s.done - s.doneAtStart
        let remaining = s.total - s.done
        let eta = doneThisRun > 0 ? Self.clock(elapsed / Double(doneThisRun) * Double(remaining)) : "--:--"
        let text = "\r\u{1B}[2K[\(s.done)/\(s.total)] \(s.failed) failed · \(s.running) running · "
            + "elapsed \(Self.clock(elapsed)) · ETA \(eta)"
        print(text, terminator: "")
        fflush(nil)
    }

    func line(_ text: String) {
        let prefix = isTerminal ? "\r\u{1B}[2K" : MetricsExport.isoTimestamp(Date()) + " "
        print(prefix + text)
        fflush(nil)
        render()
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}
