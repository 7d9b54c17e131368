import Foundation
import Logging
import NIOConcurrencyHelpers
import TestTiming

/// Collects log lines of a coordinator under test and lets a test wait (bounded) for one to appear.
///
/// The state is behind `NIOLockedValueBox` (a pthread mutex), not `Synchronization.Mutex`: ThreadSanitizer on Linux
/// does not see `Mutex`'s futex and reports every access as a race (docs/reliability.md, "Sanitizers").
final class LogCapture: Sendable {
    private struct State {
        var lines: [String] = []
        var waiters: [(predicate: @Sendable (String) -> Bool, continuation: CheckedContinuation<Bool, Never>)] = []
    }

    private let state = NIOLockedValueBox(State())

    var lines: [String] { state.withLockedValue { $0.lines } }

    func append(_ line: String) {
        let ready = state.withLockedValue { state -> [CheckedContinuation<Bool, Never>] in
            state.lines.append(line)
            var ready: [CheckedContinuation<Bool, Never>] = []
            state.waiters.removeAll { waiter in
                guard waiter.predicate(line) else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        for continuation in ready { continuation.resume(returning: true) }
    }

    /// Waits until a line containing `text` was logged (returns at once if one was), at most `seconds` (scaled by
    /// `TestTiming`).
    func waitFor(_ text: String, seconds: Double = 90) async -> Bool {
        let seconds = TestTiming.seconds(seconds)
        let predicate: @Sendable (String) -> Bool = { $0.contains(text) }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let found = self.state.withLockedValue { state -> Bool in
                        if state.lines.contains(where: predicate) { return true }
                        state.waiters.append((predicate, continuation))
                        return false
                    }
                    if found { continuation.resume(returning: true) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return false
            }
            let first = await group.next() ?? false
            if !first { self.failWaiters() }
            group.cancelAll()
            return first
        }
    }

    private func failWaiters() {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Bool, Never>] in
            defer { state.waiters = [] }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(returning: false) }
    }

    func logger(label: String = "coordinator-test") -> Logger {
        var logger = Logger(label: label) { _ in CaptureHandler(capture: self) }
        logger.logLevel = .debug
        return logger
    }

    struct CaptureHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append("\(event.level) \(event.message)")
        }
    }
}
