import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Waiting for SIGINT or SIGTERM without the default action (terminating the process at once).
enum TerminationSignals {
    /// Returns when SIGINT or SIGTERM arrives or the calling task is cancelled; restores the default actions after.
    static func wait() async {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        let signals = [SIGINT, SIGTERM]
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            sources.append(source)
        }
        await withTaskCancellationHandler {
            for await _ in stream { break }
        } onCancel: {
            continuation.finish()
        }
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}
