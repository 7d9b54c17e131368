import Dispatch
import Foundation
import Synchronization

/// Runs an operation that SIGINT/SIGTERM cancel cleanly; a second signal exits at once (status 130).
enum SignalCancellation {
    /// Set when the operation was cancelled by a signal, so the caller can exit 130.
    static let interrupted = Mutex(false)

    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
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
                FileHandle.standardError.write(Data("\nstopping (signal \(number)); press Ctrl-C again to exit now\n".utf8))
                task.cancel()
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        return try await task.value
    }

    static var wasInterrupted: Bool { interrupted.withLock { $0 } }
}
