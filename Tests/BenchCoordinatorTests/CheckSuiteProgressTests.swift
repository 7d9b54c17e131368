@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

/// The checks part of the coordinator's progress line follows the suite: which phase, how many checks are finished
/// of how many, and which one is out.
@Suite("CheckSuiteDriver: progress figures")
struct CheckSuiteProgressTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)
    let fixtures = CheckSuiteDriverTests()

    @Test("no figures before a suite opens; then finished/total and the running check, until the suite completes")
    func progressFollowsTheSuite() throws {
        var driver = fixtures.driver(run: .before, enabled: [.health, .errorHandling, .loadHandling])
        #expect(driver.progress == nil)
        _ = driver.begin(.before, id: "s-00000010", now: t0)
        #expect(driver.progress == CheckSuiteProgress(phase: .before, finished: 0, total: 3, running: nil))

        for (index, check) in [CheckKind.health, .errorHandling, .loadHandling].enumerated() {
            let out = fixtures.assignments(driver.plan(agents: fixtures.twoAgents, now: t0))
            #expect(!out.isEmpty)
            #expect(driver.progress == CheckSuiteProgress(phase: .before, finished: index, total: 3, running: check))
            for dispatched in out {
                let task = try fixtures.task(dispatched.assign)
                _ = driver.accept(dispatched.assign.task, agent: dispatched.agent,
                                  outcome: fixtures.answer(task, agent: dispatched.agent, at: t0), now: t0)
            }
            _ = driver.advance()
        }
        #expect(driver.progress == nil)
        #expect(!driver.holdsTrainJobs)
    }
}
