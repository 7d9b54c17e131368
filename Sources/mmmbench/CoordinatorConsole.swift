import BenchCore
import BenchCoordinator
import BenchObservability
import Foundation
import Logging

/// The coordinator's output: log lines, and where stdout is a terminal, a live progress line under them
/// (done/total, in flight, agents connected, failures, ETA). Off a terminal, progress becomes a plain line every
/// `logEvery` seconds while the collection moves. With `--log-format json` every line is a JSON object
/// (``JSONLogLine``), progress lines included (message `progress: …` with the figures as keys), and there is no
/// live line.
final class CoordinatorConsole: Sendable {
    private struct State {
        var progress: CoordinatorProgress?
        var lastProgressLine: Date?
        var lastDoneLogged: Int?
    }

    let isTerminal: Bool
    let logEvery: TimeInterval
    let format: LogFormat
    private let state = PThreadLockedValue(State())

    init(isTerminal: Bool = isatty(STDOUT_FILENO) == 1, logEvery: TimeInterval = 10, format: LogFormat = .text) {
        self.isTerminal = isTerminal && format == .text
        self.logEvery = logEvery
        self.format = format
    }

    /// The swift-log handler of `--log-format`, writing through this console.
    func logHandler(label: String, level: Logger.Level) -> any Logging.LogHandler {
        switch format {
        case .text: LogHandler(console: self, logLevel: level)
        case .json: JSONLogHandler(label: label, logLevel: level) { [self] line in self.line(line) }
        }
    }

    /// Writes one line (above the live line on a terminal).
    func line(_ text: String) {
        state.withLock { state in
            if isTerminal {
                Self.write("\r\u{1B}[2K" + text + "\n" + (state.progress.map(Self.render) ?? ""))
            } else {
                Self.write(text + "\n")
            }
        }
    }

    /// Shows new progress figures.
    func progress(_ progress: CoordinatorProgress) {
        state.withLock { state in
            state.progress = progress
            if isTerminal {
                Self.write("\r\u{1B}[2K" + Self.render(progress))
                return
            }
            let now = Date()
            guard state.lastDoneLogged != progress.done,
                  now.timeIntervalSince(state.lastProgressLine ?? .distantPast) >= logEvery
            else { return }
            state.lastProgressLine = now
            state.lastDoneLogged = progress.done
            switch format {
            case .text:
                Self.write("\(Self.timestamp(now)) notice progress: " + Self.render(progress) + "\n")
            case .json:
                let figures: Logger.Metadata = [
                    "done": .stringConvertible(progress.done), "total": .stringConvertible(progress.total),
                    "in_flight": .stringConvertible(progress.inFlight),
                    "agents_connected": .stringConvertible(progress.agentsConnected),
                ]
                Self.write(JSONLogLine.render(timestamp: now, level: .notice, label: "mmmbench.coordinator",
                                              message: "progress: " + Self.render(progress), metadata: figures) + "\n")
            }
        }
    }

    /// Ends the live line (before the process exits).
    func finish() {
        guard isTerminal else { return }
        state.withLock { state in
            if state.progress != nil { Self.write("\n") }
            state.progress = nil
        }
    }

    static func render(_ p: CoordinatorProgress) -> String {
        let eta = p.etaSeconds.map(clock) ?? "--:--"
        return "[\(p.done)/\(p.total)] \(p.inFlight) in flight · \(p.agentsConnected) agents · "
            + "\(p.failedMeasurements) failed · \(p.harnessErrors) harness errors · "
            + "elapsed \(clock(p.elapsedSeconds)) · ETA \(eta)" + (p.checkSuite.map(render) ?? "")
    }

    /// The checks part of the progress line: ` · checks after 4/10 (test_05_parallel_processing_capability)`.
    static func render(_ suite: CheckSuiteProgress) -> String {
        " · checks \(suite.phase.rawValue) \(suite.finished)/\(suite.total)"
            + (suite.running.map { " (\($0.seedTestName))" } ?? "")
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    static func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }

    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// A swift-log handler printing `TIMESTAMP LEVEL message key=value...` lines through a console.
    struct LogHandler: Logging.LogHandler {
        let console: CoordinatorConsole
        var logLevel: Logger.Level
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var line = "\(CoordinatorConsole.timestamp(Date())) \(event.level) \(event.message)"
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            for key in merged.keys.sorted() {
                if let value = merged[key] { line += " \(key)=\(value)" }
            }
            console.line(line)
        }
    }
}
