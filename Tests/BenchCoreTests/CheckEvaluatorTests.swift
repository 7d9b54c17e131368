import BenchCore
import Foundation
import Testing

/// The pass criteria judged on observed answers, without a server: each check passes on a good answer and fails or
/// errors for the reason the seed's assertion names.
@Suite("Check evaluators")
struct CheckEvaluatorTests {
    typealias F = CheckFixtures
    let settings = CheckSettings()

    @Test("health: 200 + healthy + warm_status passes; 503 unhealthy fails; non-JSON 200 and no answer are errors")
    func health() {
        #expect(CheckEvaluator.health(F.exchange(status: 200, json: F.healthyBody), settings.health).status == .pass)

        let unhealthy = CheckEvaluator.health(
            F.exchange(status: 503, json: #"{"status": "unhealthy", "warm_status": {}}"#), settings.health)
        #expect(unhealthy.status == .fail)
        #expect(unhealthy.reason?.contains("HTTP 503, expected 200") == true)
        #expect(unhealthy.reason?.contains("'unhealthy'") == true)

        let noWarm = CheckEvaluator.health(F.exchange(status: 200, json: #"{"status": "healthy"}"#), settings.health)
        #expect(noWarm.status == .fail)
        #expect(noWarm.reason?.contains("no warm_status") == true)

        #expect(CheckEvaluator.health(F.exchange(status: 200, json: "<html>"), settings.health).status == .error)
        let refused = CheckEvaluator.health(F.exchange(status: nil, error: "request failed: connection refused"),
                                            settings.health)
        #expect(refused.status == .error)
        #expect(refused.reason?.contains("connection refused") == true)
    }

    @Test("resource allocation: CPU below 90 passes; 95 fails naming both; missing figures fail")
    func resourceAllocation() {
        let good = CheckEvaluator.resourceAllocation(F.exchange(status: 200, json: F.healthyBody),
                                                     settings.resourceAllocation)
        #expect(good.status == .pass)
        #expect(good.measurements.first { $0.name == "checks.cpu_usage" }?.measured == "42.5")

        let busy = CheckEvaluator.resourceAllocation(
            F.exchange(status: 200, json: #"{"checks": {"cpu_usage": 95, "memory_usage": 1}}"#),
            settings.resourceAllocation)
        #expect(busy.status == .fail)
        #expect(busy.reason?.contains("CPU usage 95.0 % is not below 90.0 %") == true)

        let missing = CheckEvaluator.resourceAllocation(
            F.exchange(status: 200, json: "{}"), settings.resourceAllocation)
        #expect(missing.status == .fail)
        #expect(missing.reason?.contains("checks.cpu_usage") == true)
    }

    @Test("container warming: every required component true; a false or missing one fails naming it")
    func containerWarming() {
        let body = #"{"warm_status": {"container_ready": true, "datasets": false, "solver": true}}"#
        let verdict = CheckEvaluator.containerWarming(F.exchange(status: 200, json: body),
                                                      requiredComponents: settings.requiredWarmComponents)
        #expect(verdict.status == .fail)
        #expect(verdict.reason?.contains("datasets (false)") == true)
        #expect(verdict.reason?.contains("what this trainer reports (container_ready, datasets, solver)") == true)

        let seed = CheckEvaluator.containerWarming(F.exchange(status: 200, json: F.healthyBody),
                                                   requiredComponents: CheckSettings.seedWarmComponents)
        #expect(seed.status == .fail)
        #expect(seed.reason?.contains("python (not reported), gcs (not reported)") == true)
        #expect(CheckEvaluator.containerWarming(F.exchange(status: 200, json: F.healthyBody),
                                                requiredComponents: settings.requiredWarmComponents).status == .pass)
    }

    @Test("data processing: time and compression ratio judged strictly against their thresholds")
    func dataProcessing() {
        let request = CheckRequest.dataProcessing(settings.dataProcessing)
        let fast = F.exchange(request, status: 200, json: #"{"compression_ratio": 0.61}"#, ms: 120)
        #expect(CheckEvaluator.dataProcessing(fast, settings.dataProcessing).status == .pass)

        let slow = CheckEvaluator.dataProcessing(
            F.exchange(request, status: 200, json: #"{"compression_ratio": 0.2}"#, ms: 12_000), settings.dataProcessing)
        #expect(slow.status == .fail)
        #expect(slow.reason?.contains("took 12.00 s, not below 10.0 s") == true)
        #expect(slow.reason?.contains("compression_ratio 0.200 is not above 0.20") == true, "0.2 is not > 0.2")
        let timeout = CheckEvaluator.dataProcessing(
            F.exchange(request, status: nil, ms: 60_000, error: "timeout after 60.0 s"), settings.dataProcessing)
        #expect(timeout.status == .error)
    }

    @Test("benchmark: 200 within 20 minutes passes; a 500 fails; no answer within the timeout is an error")
    func benchmark() {
        let request = CheckRequest.benchmark(settings.performanceBenchmark)
        #expect(CheckEvaluator.performanceBenchmark(
            F.exchange(request, status: 200, json: #"{"elapsed_seconds": 1.5}"#, ms: 1_600),
            settings.performanceBenchmark).status == .pass)
        let failed = CheckEvaluator.performanceBenchmark(
            F.exchange(request, status: 500, json: #"{"error": "boom"}"#), settings.performanceBenchmark)
        #expect(failed.status == .fail)
        #expect(failed.reason?.contains("HTTP 500 (boom)") == true)
        let hung = CheckEvaluator.performanceBenchmark(
            F.exchange(request, status: nil, ms: 300_000, error: "timeout after 300.0 s"),
            settings.performanceBenchmark)
        #expect(hung.status == .error)
        #expect(hung.reason?.contains("raise checks.performance_benchmark.timeout_seconds") == true)
    }

    @Test("error handling: 422 then healthy passes; 200 to the invalid payload fails; no recovery fails")
    func errorHandling() {
        let invalid = CheckRequest.invalidTrain(settings.errorHandling)
        let healthOK = F.exchange(status: 200, json: F.healthyBody)
        #expect(CheckEvaluator.errorHandling(
            invalid: F.exchange(invalid, status: 422, json: "{}"), healthAfter: healthOK, settings.errorHandling
        ).status == .pass)
        let accepted = CheckEvaluator.errorHandling(
            invalid: F.exchange(invalid, status: 200, json: "{}"), healthAfter: healthOK, settings.errorHandling)
        #expect(accepted.status == .fail)
        #expect(accepted.reason?.contains("answered HTTP 200, expected 400 or 422") == true)
        let dead = CheckEvaluator.errorHandling(
            invalid: F.exchange(invalid, status: 400, json: "{}"),
            healthAfter: F.exchange(status: nil, error: "connection reset"), settings.errorHandling)
        #expect(dead.status == .fail)
        #expect(dead.reason?.contains("did not recover") == true)
    }

    @Test("cost efficiency: a missing figure counts as 0 (seed) and each bound names its seed message")
    func costEfficiency() {
        let idle = CheckEvaluator.costEfficiency(
            F.exchange(status: 200, json: #"{"checks": {"cpu_usage": 0.4}}"#), settings.costEfficiency)
        #expect(idle.status == .fail)
        #expect(idle.reason?.contains("CPU usage 0.4 % is not above 5.0 %: CPU usage too low") == true)
        #expect(idle.reason?.contains("memory usage 0.0 % is not above 10.0 %") == true)
        let memory = idle.measurements.first { $0.name == "checks.memory_usage" }
        #expect(memory?.measured == "not reported (0)")
        #expect(memory?.threshold == "> 10.0 and < 85.0")
        #expect(CheckEvaluator.costEfficiency(F.exchange(status: 200, json: F.healthyBody), settings.costEfficiency)
            .status == .pass)
    }

    @Test("parallel: all success passes; one status error fails naming the request; no answer is an error")
    func parallel() {
        let ok = #"{"status": "success"}"#
        func samples(_ bodies: [String?]) -> [CheckRequestSample] {
            bodies.enumerated().map { id, body in
                CheckEvaluator.parallelSample(
                    requestID: id,
                    F.exchange(.parallel(requestID: id, settings.parallelProcessing), status: body == nil ? nil : 200,
                               json: body, ms: 10, error: body == nil ? "timeout after 30.0 s" : nil, offset: 1))
            }
        }
        let ids = Array(0..<4)
        let all = CheckEvaluator.parallelProcessing(samples([ok, ok, ok, ok]), requestIDs: ids)
        #expect(all.status == .pass)
        #expect(all.measurements.first { $0.name == "peak_in_flight" }?.measured == "4")
        let one = CheckEvaluator.parallelProcessing(
            samples([ok, #"{"status": "error", "error": "injected"}"#, ok, ok]), requestIDs: ids)
        #expect(one.status == .fail)
        #expect(one.reason?.contains("request 1: HTTP 200, status 'error': injected") == true)
        #expect(CheckEvaluator.parallelProcessing(samples([ok, nil, ok, ok]), requestIDs: ids).status == .error)
        #expect(CheckEvaluator.parallelProcessing(samples([ok, ok, ok]), requestIDs: ids).status == .error,
                "a request without a result cannot pass")
    }

    @Test("load: more than 80 % must answer 200 (4 of 5 is not enough); none answering is an error")
    func load() {
        func samples(_ statuses: [Int?]) -> [CheckRequestSample] {
            statuses.enumerated().map { id, status in
                CheckEvaluator.loadSample(
                    requestID: id,
                    F.exchange(.load(requestID: id, settings.loadHandling), status: status, json: "{}",
                               error: status == nil ? "request failed: connection refused" : nil))
            }
        }
        let ids = Array(0..<5)
        #expect(CheckEvaluator.loadHandling(samples([200, 200, 200, 200, 200]), requestIDs: ids, settings.loadHandling)
            .status == .pass)
        let four = CheckEvaluator.loadHandling(
            samples([200, 200, 500, 200, 200]), requestIDs: ids, settings.loadHandling)
        #expect(four.status == .fail)
        #expect(four.reason?.contains("Only 80% requests succeeded under load (4 of 5)") == true)
        let timeouts = CheckEvaluator.loadHandling(samples([200, nil, 200, 200, 200]), requestIDs: ids,
                                                   settings.loadHandling)
        #expect(timeouts.status == .fail, "a request without an answer under load is a failed request (seed)")
        let refused = CheckEvaluator.loadHandling(samples([nil, nil, nil, nil, nil]), requestIDs: ids,
                                                  settings.loadHandling)
        #expect(refused.status == .error)
    }

    @Test("rollback: missing, not executable and failing dry run fail with what to do; a hang is an error")
    func rollback() {
        func verdict(_ result: RollbackObservation.Result) -> CheckVerdict {
            CheckEvaluator.rollback(
                RollbackObservation(path: "deploy/rollback.sh", resolvedPath: "/srv/deploy/rollback.sh",
                                    result: result, outputTail: "missing: /opt/mmmbench"), settings.rollback)
        }
        #expect(verdict(.exited(0)).status == .pass)
        #expect(verdict(.missing).reason?.contains("Rollback script not found: deploy/rollback.sh") == true)
        #expect(verdict(.notExecutable).reason?.contains("chmod +x deploy/rollback.sh") == true)
        let failed = verdict(.exited(3))
        #expect(failed.status == .fail)
        #expect(failed.reason?.contains("`deploy/rollback.sh --dry-run` exited with status 3") == true)
        #expect(failed.reason?.contains("missing: /opt/mmmbench") == true)
        #expect(verdict(.timedOut).status == .error)
        #expect(verdict(.launchFailed("bad interpreter")).status == .error)
    }
}
