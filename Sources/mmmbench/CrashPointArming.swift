import BenchCore
import Foundation

/// Arms a crash point from the environment for `coordinator`, `agent` and `collect` (see ``CrashPoint``): the one
/// place the CLI reads `MMMBENCH_CRASH_AT` / `MMMBENCH_CRASH_POINTS`, and says loudly on stderr when one is armed.
enum CrashPointArming {
    /// Arms what the environment asks for and logs it; throws when enabled with a value naming no point.
    static func armFromEnvironment() throws {
        let arming = try CrashPoint.arm(environment: ProcessInfo.processInfo.environment)
        if let message = arming.message { FileHandle.standardError.write(Data((message + "\n").utf8)) }
    }
}
