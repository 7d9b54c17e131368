import BenchCore
import BenchObservability
import Foundation
import Logging
import UnixSignals

/// Runs an operation that SIGINT/SIGTERM cancel cleanly; a second signal exits at once (status 130).
///
/// The signals arrive through swift-service-lifecycle's `UnixSignalsSequence` (the same source Hummingbird's
/// service groups use), registered before the operation starts so an early Ctrl-C is never lost.
enum SignalCancellation {
    /// Set when the operation was cancelled by a signal, so the caller can exit 130.
    static let interrupted = PThreadLockedValue(false)

    /// `announce` gets the `stopping (signal N)...` line (default: stderr; `--log-format json` logs it instead).
    static func run<T: Sendable>(
        announce: (@Sendable (String) -> Void)? = nil, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let task = Task { try await body() }
        let listener = Task {
            for await signal in signals {
                let already = interrupted.withLock { value -> Bool in
                    defer { value = true }
                    return value
                }
                if already { _exit(130) }
                let text = "stopping (signal \(signal.rawValue)); press Ctrl-C again to exit now"
                if let announce { announce(text) } else { FileHandle.standardError.write(Data("\n\(text)\n".utf8)) }
                task.cancel()
            }
        }
        defer { listener.cancel() }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// With `--log-format json` the stop line is a log event (every stdout line stays JSON); nil otherwise.
    static func announcer(_ format: LogFormat, _ logger: Logger) -> (@Sendable (String) -> Void)? {
        guard format == .json else { return nil }
        return { text in logger.notice("\(text)") }
    }

    static var wasInterrupted: Bool { interrupted.withLock { $0 } }
}
