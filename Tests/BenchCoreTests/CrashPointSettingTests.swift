import BenchCore
import Testing

/// How `MMMBENCH_CRASH_AT` and `MMMBENCH_CRASH_POINTS` are read (pure: nothing is armed in the test process).
@Suite("Crash point settings")
struct CrashPointSettingTests {
    @Test("no MMMBENCH_CRASH_AT: off, nothing to log")
    func off() throws {
        #expect(try CrashPoint.arming(environment: [:]) == .off)
        #expect(try CrashPoint.arming(environment: ["MMMBENCH_CRASH_AT": "", "MMMBENCH_CRASH_POINTS": "1"]) == .off)
        #expect(CrashPoint.Arming.off.message == nil)
    }

    @Test("MMMBENCH_CRASH_AT alone, or with MMMBENCH_CRASH_POINTS other than 1, is ignored with a warning",
          arguments: [nil, "0", "yes", "true"])
    func ignoredWithoutEnable(_ enable: String?) throws {
        var environment = ["MMMBENCH_CRASH_AT": "commit-before-ack"]
        environment["MMMBENCH_CRASH_POINTS"] = enable
        let arming = try CrashPoint.arming(environment: environment)
        #expect(arming == .ignored("commit-before-ack"))
        #expect(arming.message?.contains("ignored") == true)
        #expect(arming.message?.contains("MMMBENCH_CRASH_POINTS=1") == true)
    }

    @Test("every point by name, at the first hit or the n-th", arguments: CrashPoint.allCases)
    func armed(_ point: CrashPoint) throws {
        let enabled = ["MMMBENCH_CRASH_POINTS": "1"]
        #expect(try CrashPoint.arming(environment: enabled.merging(["MMMBENCH_CRASH_AT": point.rawValue]) { $1 })
                == .armed(point, hit: 1))
        let third = try CrashPoint.arming(environment: enabled.merging(["MMMBENCH_CRASH_AT": "\(point.rawValue):3"]) {
            $1
        })
        #expect(third == .armed(point, hit: 3))
        #expect(third.message?.contains("CRASH POINT ARMED") == true)
        #expect(third.message?.contains("the 3rd time it reaches '\(point.rawValue)'") == true)
    }

    @Test("an unknown point or a bad hit number is refused, naming the value and the points",
          arguments: ["commit-before-akc", "migration:0", "migration:-1", "migration:x", ":2", "migration:"])
    func refused(_ value: String) {
        #expect {
            try CrashPoint.arming(environment: ["MMMBENCH_CRASH_POINTS": "1", "MMMBENCH_CRASH_AT": value])
        } throws: { error in
            let text = "\(error)"
            return text.contains("MMMBENCH_CRASH_AT=\(value)") && text.contains("lease-before-assign")
                && text.contains("agent-after-outbox")
        }
    }
}
