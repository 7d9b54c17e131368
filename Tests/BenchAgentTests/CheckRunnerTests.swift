import BenchAgent
import BenchCore
import BenchJSON
import BenchProtocol
import BenchTrainer
import Foundation
import Logging
import Testing
import TestSupport
import TestTiming

/// The suite against a real reference trainer on 127.0.0.1: outcomes are what the trainer's real state implies.
@Suite("Check runner against the reference trainer", .serialized)
struct CheckRunnerTests {
    @Test("an idle, warm reference trainer passes every check but cost efficiency, which shows why")
    func idleTrainer() async throws {
        let scripts = try ScriptDirectory()
        var settings = CheckSettings()
        settings.rollbackScript = try scripts.script("rollback.sh", #"echo "would roll back"; exit 0"#)
        // The seed's 10 s for data processing and the checks' request timeouts bound this machine's speed, not
        // what is asserted: scaled by TestTiming (under TSan even 2,000 rows took 16.7 s, and the parallel fits
        // once ran past their 30 s).
        settings = settings.scaledByTestTiming()
        let report = try await withTrainer { [settings] url in
            try await withCheckRunner(url: url, settings: settings) { try await $0.runSuite() }
        }
        #expect(report.total == 10)
        #expect(report.errors == 0, "every check got its answers: \(report.outcomes.compactMap(\.reason))")

        // Pass, because: /health answers 200 "healthy" with a warm_status object...
        #expect(report.outcome(.health)?.status == .pass)
        // ...start() warmed the container, the datasets and the solver before binding...
        #expect(report.outcome(.containerWarming)?.status == .pass)
        // ...encoding the table (2,000 rows: `withTrainer`'s data scale 0.1) takes well under 10 s and the columnar
        // form compresses the CSV by more than 20 %...
        let data = try #require(report.outcome(.dataProcessing))
        #expect(data.status == .pass, "\(data.reason ?? "")")
        #expect((data.measurement("compression_ratio")?.value ?? 0) > 0.2)
        // ...each small fit answers status "success", all four / five at once...
        #expect(report.outcome(.parallelProcessing)?.status == .pass)
        #expect(report.outcome(.parallelProcessing)?.samples.count == 4)
        #expect(report.outcome(.loadHandling)?.status == .pass)
        #expect(report.outcome(.loadHandling)?.measurement("success_rate")?.value == 1)
        // ...the 50 x 2 benchmark fit (work scale 0.02) answers 200 in seconds, far under 20 minutes...
        #expect(report.outcome(.performanceBenchmark)?.status == .pass)
        // ...the invalid payload is refused with 422 (country null) and /health still answers 200...
        let errors = try #require(report.outcome(.errorHandling))
        #expect(errors.status == .pass)
        #expect(errors.measurement("invalid_payload_status")?.measured == "422")
        // ...and the rollback script exists, is executable and its dry run exits 0.
        #expect(report.outcome(.rollback)?.status == .pass)

        // Resource allocation and cost efficiency depend on the CPU and memory this process really uses, which
        // /health measures: the outcome must follow the figures it reports.
        let resources = try #require(report.outcome(.resourceAllocation))
        let cpu = try #require(resources.measurement("checks.cpu_usage")?.value)
        #expect(resources.status == (cpu < 90 ? .pass : .fail))

        let cost = try #require(report.outcome(.costEfficiency))
        let costCPU = try #require(cost.measurement("checks.cpu_usage")?.value)
        let memory = try #require(cost.measurement("checks.memory_usage")?.value)
        let inBand = costCPU > 5 && costCPU < 85 && memory > 10 && memory < 85
        #expect(cost.status == (inBand ? .pass : .fail))
        // An idle trainer holding its datasets uses a few hundred MB: far below 10 % of this machine's memory, so the
        // seed's lower bound fails, and the report says so with the figure beside the threshold.
        if memory <= 10 {
            #expect(cost.status == .fail)
            let figure = PythonRounding.format(memory, places: 1)
            #expect(cost.reason?.contains("memory usage \(figure) % is not above 10.0 %") == true)
            let row = "| test_08_cost_efficiency_validation | checks.memory_usage | "
                + "\(PythonRounding.format(memory, places: 1)) % | > 10.0 and < 85.0 % | ❌ |"
            #expect(report.markdown().contains(row))
        }
        #expect(report.failed == (cost.status == .fail ? 1 : 0) + (resources.status == .fail ? 1 : 0))
    }

    @Test("a target that refuses connections gives an error for every trainer check, and the suite completes")
    func connectionRefused() async throws {
        // A loopback port bound but never listening (held until the test ends): connecting is refused.
        let closed = try ClosedLoopbackPort()
        defer { closed.release() }

        let scripts = try ScriptDirectory()
        var settings = CheckSettings()
        settings.rollbackScript = try scripts.script("rollback.sh", "exit 0")
        // The HTTP client retries a refused connection until its connect timeout: 1 s keeps the test short. Scaled
        // under sanitizers: when the event loop is starved past the timeout, the attempt ends as a connect timeout
        // instead of the refusal (seen once in a TSan run).
        let report = try await withCheckRunner(
            url: "http://127.0.0.1:\(closed.port)", settings: settings, connectTimeoutSeconds: TestTiming.seconds(1)
        ) { try await $0.runSuite() }
        #expect(report.total == 10)
        for outcome in report.outcomes where outcome.check.callsTrainer {
            #expect(outcome.status == .error, "\(outcome.testName)")
            #expect(outcome.reason?.contains("connection refused") == true, "\(outcome.reason ?? "")")
        }
        #expect(report.outcome(.rollback)?.status == .pass, "the rollback check does not need the trainer")
        #expect(report.errors == 9)
        #expect(!report.allPassed)
    }

    @Test("a request past its timeout is an error with the cause, not a hang")
    func timeout() async throws {
        var faults = TrainerFaults()
        faults.trainHang = true
        var settings = CheckSettings()
        settings.performanceBenchmark.timeoutSeconds = 0.5
        let outcome = try await withTrainer(faults: faults) { [settings] url in
            try await withCheckRunner(url: url, settings: settings) { try await $0.run(.performanceBenchmark) }
        }
        #expect(outcome.status == .error)
        #expect(outcome.reason?.contains("timeout") == true, "\(outcome.reason ?? "")")
    }

    @Test("the load check split in two shares sends each share's requests and judges them together")
    func loadShares() async throws {
        let outcomes = try await withTrainer { url in
            try await withCheckRunner(url: url, agent: "agent-a") { runner in
                [try await runner.run(.loadHandling, share: try CheckShare(index: 0, count: 2)),
                 try await runner.run(.loadHandling, share: try CheckShare(index: 1, count: 2))]
            }
        }
        #expect(outcomes.map { $0.samples.map(\.requestID) } == [[0, 2, 4], [1, 3]])
        #expect(outcomes.allSatisfy { $0.status == .pass && $0.agent == "agent-a" })
        let combined = CheckOutcome.combining(shares: outcomes, kind: .loadHandling, settings: CheckSettings())
        #expect(combined.status == .pass)
        #expect(combined.samples.count == 5)
        #expect(combined.measurement("success_rate")?.value == 1)

        // The outcome travels as JSON (a check task's result) and reads back to the same value.
        let wire = try JSONWriter.bytes(outcomes[1].wireValue)
        #expect(try CheckOutcome(wireValue: JSONReader.value(from: wire)) == outcomes[1])
    }
}
