import BenchTLS
import Dispatch
import Foundation

/// SIGHUP -> ``TLSReloadTrigger/fire()``: `systemctl reload` (ExecReload=kill -HUP) and `kill -HUP PID` make a
/// coordinator or agent re-read its certificate, key, CA (and CRL) without stopping.
enum ReloadSignal {
    /// Starts turning SIGHUP into reload requests of the returned trigger, for as long as the process runs.
    static func install() -> TLSReloadTrigger {
        let trigger = TLSReloadTrigger()
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { trigger.fire() }
        source.resume()
        sources.append(source)
        return trigger
    }

    /// Keeps the signal sources alive (a cancelled or released source stops delivering).
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
}
