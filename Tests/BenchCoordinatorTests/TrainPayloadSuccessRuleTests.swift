@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Testing

@Suite("The plan's success_rule in train payloads")
struct TrainPayloadSuccessRuleTests {
    @Test("a status_success plan puts success_rule in every payload; the seed's rule leaves it out")
    func member() throws {
        var strict = Plan(days: 1)
        strict.successRule = .statusSuccess
        let job = strict.expandJobs()[0]
        #expect(TrainPayload(plan: strict).payload(for: job)["success_rule"] == .string("status_success"))
        #expect(TrainPayload(plan: Plan(days: 1)).payload(for: job)["success_rule"] == nil)
    }
}
