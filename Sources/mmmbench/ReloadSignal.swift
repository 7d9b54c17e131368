import BenchTLS
import Foundation
import UnixSignals

/// SIGHUP -> ``TLSReloadTrigger/fire()``: `systemctl reload` (ExecReload=kill -HUP) and `kill -HUP PID` make a
/// coordinator or agent re-read its certificate, key, CA (and CRL) without stopping.
enum ReloadSignal {
    /// Starts turning SIGHUP into reload requests of the returned trigger, for as long as the process runs.
    ///
    /// SIGHUP is ignored at once (its default action ends the process), then swift-service-lifecycle's
    /// `UnixSignalsSequence` delivers it as a reload request.
    static func install() -> TLSReloadTrigger {
        let trigger = TLSReloadTrigger()
        signal(SIGHUP, SIG_IGN)
        Task.detached {
            for await _ in await UnixSignalsSequence(trapping: .sighup) { trigger.fire() }
        }
        return trigger
    }
}
