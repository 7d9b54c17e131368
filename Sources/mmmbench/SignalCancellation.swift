import BenchObservability
import Dispatch
import Foundation
import Logging
import Synchronization

/// Runs an operation that SIGINT/SIGTERM cancel cleanly; a second signal exits at once (status 130).
enum SignalCancellation {
    /// Set when the operation was cancelled by a signal, so the caller can exit 130.
    static let interrupted = Mutex(false)

    /// `announce` gets the `stopping (signal N)...` line (default: stderr; `--log-format json` logs it instead).
    static func run<T: Sendable>(
        announce: (@Sendable (String) -> Void)? = nil, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let task = Task { try await body() }
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let already = interrupted.withLock { value -> Bool in
                    defer { value = true }
                    return value
                }
                if already { _exit(130) }
                let text = "stopping (signal \(number)); press Ctrl-C again to exit now"
                if let announce { announce(text) } else { FileHandle.standardError.write(Data("\n\(text)\n".utf8)) }
                task.cancel()
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        return try await task.value
    }

    /// With `--log-format json` the stop line is a log event (every stdout line stays JSON); nil otherwise.
    static func announcer(_ format: LogFormat, _ logger: Logger) -> (@Sendable (String) -> Void)? {
        guard format == .json else { return nil }
        return { text in logger.notice("\(text)") }
    }

    static var wasInterrupted: Bool { interrupted.withLock { $0 } }
}
