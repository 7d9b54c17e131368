import Foundation
import Testing

@testable import BenchTrainer
import TestTiming

/// Each injected fault does what it says, so clients and checks can be tested against a misbehaving trainer.
@Suite("fault injection")
struct FaultInjectionTests {
    @Test("train-error: every valid /train request gets the configured status with a JSON error")
    func trainError() async throws {
        let faults = try TrainerFaults.parse(["train-error=503"])
        try await TrainerHarness.with({ $0.faults = faults }) { trainer in
            for index in 1...3 {
                let answer = try await trainer.post("/train", seedPayload(jobID: "job-\(index)", iterations: 50, trials: 2))
                #expect(answer.status == 503)
                #expect(answer["status"]?.string == "error")
                #expect(answer["job_id"]?.string == "job-\(index)")
            }
            // Validation still comes first.
            #expect(try await trainer.post("/train", #"{"country": "fr"}"#).status == 422)
        }
    }

    @Test("train-error-every=2: requests 2, 4, ... fail with 500, the others succeed")
    func trainErrorEveryNth() async throws {
        let faults = try TrainerFaults.parse(["train-error-every=2"])
        try await TrainerHarness.with({ $0.faults = faults }) { trainer in
            var statuses: [Int] = []
            for _ in 1...4 {
                statuses.append(try await trainer.post("/train", seedPayload(iterations: 50, trials: 2)).status)
            }
            #expect(statuses == [200, 500, 200, 500])
        }
    }

    @Test("train-hang: /train never answers, /health still does, and stop() ends the hanging request",
          .timeLimit(.minutes(TestTiming.minutes(1))))
    func trainHang() async throws {
        let faults = try TrainerFaults.parse(["train-hang"])
        try await TrainerHarness.with({ $0.faults = faults }) { trainer in
            do {
                let answer = try await trainer.post(
                    "/train", seedPayload(iterations: 50, trials: 2), timeout: .milliseconds(500))
                Issue.record("a hanging /train answered \(answer.status)")
            } catch is ClientTimeout {
                // The client gave up, as a client of a hanging trainer must.
            }
            #expect(try await trainer.health().status == 200)
        }
    }

    @Test("train-hang=2: the first two requests are answered, the third hangs",
          .timeLimit(.minutes(TestTiming.minutes(1))))
    func trainHangAfter() async throws {
        let faults = try TrainerFaults.parse(["train-hang=2"])
        #expect(faults.trainHang && faults.trainHangAfter == 2)
        try await TrainerHarness.with({ $0.faults = faults; $0.instant = true }) { trainer in
            for _ in 0..<2 {
                #expect(try await trainer.post("/train", seedPayload(iterations: 50, trials: 2)).status == 200)
            }
            do {
                let answer = try await trainer.post(
                    "/train", seedPayload(iterations: 50, trials: 2), timeout: .milliseconds(500))
                Issue.record("the third request answered \(answer.status)")
            } catch is ClientTimeout {
                // Hangs, as asked.
            }
        }
    }

    @Test("train-delay=MS: /train answers after at least MS milliseconds, and answers")
    func trainDelay() async throws {
        let faults = try TrainerFaults.parse(["train-delay=300"])
        try await TrainerHarness.with({ $0.faults = faults; $0.instant = true }) { trainer in
            let started = ContinuousClock.now
            let answer = try await trainer.post("/train", seedPayload(iterations: 50, trials: 2))
            let waited = started.duration(to: .now)
            #expect(answer.status == 200)
            #expect(waited >= .milliseconds(300), "answered after \(waited)")
        }
    }

    @Test("train-garbage: /train answers 200 with a body that is not JSON")
    func trainGarbage() async throws {
        let faults = try TrainerFaults.parse(["train-garbage"])
        try await TrainerHarness.with({ $0.faults = faults }) { trainer in
            let answer = try await trainer.post("/train", seedPayload(iterations: 50, trials: 2))
            #expect(answer.status == 200)
            #expect(answer.json == nil)
            #expect(!answer.body.isEmpty)
        }
    }

    @Test("unhealthy: /health answers 503 with status unhealthy and still reports its figures")
    func unhealthy() async throws {
        let faults = try TrainerFaults.parse(["unhealthy"])
        try await TrainerHarness.with({ $0.faults = faults }) { trainer in
            let health = try await trainer.health()
            #expect(health.status == 503)
            #expect(health["status"]?.string == "unhealthy")
            #expect(health["checks"]?["cpu_usage"]?.double != nil)
            #expect(health["warm_status"]?["container_ready"]?.bool == true)
        }
    }

    @Test("cold=COMPONENT: the warming step is skipped and /health reports exactly that component false",
          arguments: [WarmComponent.solver, .datasets])
    func coldComponent(_ component: WarmComponent) async throws {
        let faults = try TrainerFaults.parse(["cold=\(component.rawValue)"])
        try await TrainerHarness.with({ $0.faults = faults }) { trainer in
            let warm = try #require(try await trainer.health()["warm_status"])
            for other in WarmComponent.allCases {
                #expect(warm[other.rawValue]?.bool == (other != component), "\(other.rawValue)")
            }
            // The trainer still works, it is just not warm.
            #expect(try await trainer.post("/train", seedPayload(iterations: 50, trials: 2)).status == 200)
        }
    }

    @Test("slow-data-processing: the endpoint waits the configured delay before answering")
    func slowDataProcessing() async throws {
        var faults = TrainerFaults()
        faults.dataProcessingDelay = .seconds(1)
        try await TrainerHarness.with({ $0.faults = faults }) { trainer in
            let answer = try await trainer.post("/api/test-data-processing", #"{"size": "small"}"#)
            #expect(answer.status == 200)
            // The delay is a sleep on a monotonic clock: the reported time cannot be shorter.
            #expect((answer["processing_seconds"]?.double ?? 0) >= 1.0)
        }
        #expect(try TrainerFaults.parse(["slow-data-processing"]).dataProcessingDelay == .seconds(12))
    }

    @Test("parallel-fail=2: of four concurrent requests, exactly request 2 fails with status error")
    func parallelFail() async throws {
        let faults = try TrainerFaults.parse(["parallel-fail=2"])
        try await TrainerHarness.with({ $0.faults = faults }) { trainer in
            let answers = try await withThrowingTaskGroup(of: (Int, HTTPAnswer).self) { group in
                for id in 0..<4 {
                    group.addTask {
                        (id, try await trainer.post("/api/test-parallel", #"{"test_parallel": true, "request_id": \#(id)}"#))
                    }
                }
                var answers: [Int: HTTPAnswer] = [:]
                for try await (id, answer) in group { answers[id] = answer }
                return answers
            }
            for id in 0..<4 {
                let answer = try #require(answers[id])
                #expect(answer["request_id"]?.int == id)
                #expect(answer["status"]?.string == (id == 2 ? "error" : "success"), "request \(id)")
                #expect(answer.status == (id == 2 ? 500 : 200), "request \(id)")
            }
        }
    }

    @Test("accept-invalid: the seed's invalid payload is answered 200")
    func acceptInvalid() async throws {
        let faults = try TrainerFaults.parse(["accept-invalid"])
        try await TrainerHarness.with({ $0.faults = faults }) { trainer in
            let answer = try await trainer.post(
                "/train", #"{"invalid_field": "test", "iterations": -1, "country": null}"#)
            #expect(answer.status == 200)
            #expect(answer["validated"]?.bool == false)
        }
    }

    @Test("load-test-fail: of five concurrent load requests, four fail with 500")
    func loadTestFail() async throws {
        let faults = try TrainerFaults.parse(["load-test-fail"])
        try await TrainerHarness.with({ $0.faults = faults }) { trainer in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for id in 0..<5 {
                    group.addTask {
                        try await trainer.post("/api/load-test", #"{"load_test": true, "request_id": \#(id), "small_job": true}"#).status
                    }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 500 }.count == 4)
        }
    }

    @Test(
        "train-error and train-error-every set how often /train fails",
        arguments: [("train-error", 1), ("train-error-every=7", 7), ("train-error-every=1", 1)])
    func failureFrequency(spec: String, every: Int) throws {
        #expect(try TrainerFaults.parse([spec]).trainFailureEveryNth == every)
    }

    @Test("every documented spec parses; unknown or malformed specs are refused with a reason")
    func specErrors() throws {
        let parsed = try TrainerFaults.parse([
            "train-error=502", "train-hang", "train-garbage", "unhealthy", "cold=solver", "slow-data-processing=3",
            "parallel-fail=abc", "accept-invalid", "load-test-fail", "train-delay=250",
        ])
        #expect(parsed.trainDelay == .milliseconds(250))
        #expect(parsed.trainFailureStatus == 502)
        #expect(parsed.trainHang && parsed.trainGarbageBody && parsed.unhealthy)
        #expect(parsed.coldComponents == [.solver])
        #expect(parsed.dataProcessingDelay == .seconds(3))
        #expect(parsed.parallelFailingRequestID == "abc")
        #expect(parsed.acceptInvalidPayloads && parsed.loadTestFailing)
        for bad in ["explode", "train-error=200", "train-error-every", "train-error-every=0", "cold=container_ready",
                    "cold", "train-hang=0", "train-hang=x", "train-delay", "train-delay=-1", "slow-data-processing=soon"] {
            #expect(throws: TrainerFaultSpecError.self, "\(bad)") { try TrainerFaults.parse([bad]) }
        }
    }
}
