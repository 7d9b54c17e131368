import BenchAgent
import BenchCore
import BenchTrainer
import Foundation
import Testing

/// Each check against a trainer that injects the fault it exists to catch: it fails, for that reason.
@Suite("Checks against injected faults", .serialized)
struct CheckFaultTests {
    /// The checks' request timeouts are the seed's, scaled by `TestTiming` (they bound this machine's speed, not what
    /// a test asserts: under ASan the error-handling check's health request once outran its timeout).
    func run(
        _ kinds: [CheckKind], faults: TrainerFaults, settings: CheckSettings = CheckSettings().scaledByTestTiming()
    ) async throws
        -> [CheckKind: CheckOutcome]
    {
        try await withTrainer(faults: faults) { url in
            try await withCheckRunner(url: url, settings: settings) { runner in
                var outcomes: [CheckKind: CheckOutcome] = [:]
                for kind in kinds { outcomes[kind] = try await runner.run(kind) }
                return outcomes
            }
        }
    }

    @Test("unhealthy: the health check fails on 503 'unhealthy', and so does recovery after an error")
    func unhealthy() async throws {
        var faults = TrainerFaults()
        faults.unhealthy = true
        let outcomes = try await run([.health, .errorHandling], faults: faults)
        let health = try #require(outcomes[.health])
        #expect(health.status == .fail)
        #expect(health.reason?.contains("GET /health answered HTTP 503, expected 200") == true)
        #expect(health.reason?.contains("status 'unhealthy'") == true)
        let recovery = try #require(outcomes[.errorHandling])
        #expect(recovery.status == .fail)
        #expect(recovery.reason?.contains("GET /health answered HTTP 503 after the invalid payload") == true)
    }

    @Test("a component left cold: container warming fails naming it")
    func coldComponent() async throws {
        var faults = TrainerFaults()
        faults.coldComponents = [.solver]
        let outcome = try #require(try await run([.containerWarming], faults: faults)[.containerWarming])
        #expect(outcome.status == .fail)
        #expect(outcome.reason?.contains("not properly warmed: solver (false)") == true, "\(outcome.reason ?? "")")
        #expect(outcome.measurement("warm_status.solver")?.met == false)
        #expect(outcome.measurement("warm_status.datasets")?.met == true)
    }

    @Test("slow data processing: the round trip is over the limit")
    func slowDataProcessing() async throws {
        var faults = TrainerFaults()
        faults.dataProcessingDelay = .milliseconds(1_200)
        var settings = CheckSettings()
        settings.dataProcessing.maxSeconds = 1
        let outcomes = try await run([.dataProcessing], faults: faults, settings: settings)
        let outcome = try #require(outcomes[.dataProcessing])
        #expect(outcome.status == .fail)
        #expect(outcome.reason?.contains("not below 1.0 s: Parquet processing took too long") == true)
        #expect((outcome.measurement("round_trip_seconds")?.value ?? 0) >= 1.2)
        #expect(outcome.measurement("compression_ratio")?.met == true, "the ratio itself is fine")
    }

    @Test("one parallel request failing: the parallel check fails naming it")
    func parallelFailure() async throws {
        var faults = TrainerFaults()
        faults.parallelFailingRequestID = "2"
        let outcome = try #require(try await run([.parallelProcessing], faults: faults)[.parallelProcessing])
        #expect(outcome.status == .fail)
        #expect(outcome.reason?.contains("1 of 4 parallel requests did not answer status 'success': request 2") == true)
        #expect(outcome.samples.filter { $0.result == .succeeded }.map(\.requestID) == [0, 1, 3])
    }

    @Test("an invalid payload accepted with 200: error handling fails")
    func invalidAccepted() async throws {
        var faults = TrainerFaults()
        faults.acceptInvalidPayloads = true
        let outcome = try #require(try await run([.errorHandling], faults: faults)[.errorHandling])
        #expect(outcome.status == .fail)
        #expect(outcome.reason?.contains("answered HTTP 200, expected 400 or 422") == true)
        #expect(outcome.measurement("health_status_after")?.met == true)
    }

    @Test("load requests failing: load handling fails at 20 % success")
    func loadFailing() async throws {
        var faults = TrainerFaults()
        faults.loadTestFailing = true
        let outcome = try #require(try await run([.loadHandling], faults: faults)[.loadHandling])
        #expect(outcome.status == .fail)
        #expect(outcome.reason?.contains("Only 20% requests succeeded under load (1 of 5)") == true,
                "\(outcome.reason ?? "")")
        #expect(outcome.samples.filter { $0.httpStatus == 500 }.count == 4)
    }
}
