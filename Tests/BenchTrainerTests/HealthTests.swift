import Foundation
import Testing

@testable import BenchTrainer

/// `/health` reports what is true of this process: components really warmed, real CPU and memory figures.
@Suite("GET /health")
struct HealthTests {
    @Test("after start: healthy, every component warm, CPU and memory in range")
    func healthyAfterStart() async throws {
        try await TrainerHarness.with { trainer in
            let health = try await trainer.health()
            #expect(health.status == 200)
            #expect(health["status"]?.string == "healthy")
            let warm = try #require(health["warm_status"])
            #expect(warm["container_ready"]?.bool == true)
            #expect(warm["datasets"]?.bool == true)
            #expect(warm["solver"]?.bool == true)
            let checks = try #require(health["checks"])
            let cpu = try #require(checks["cpu_usage"]?.double)
            let memory = try #require(checks["memory_usage"]?.double)
            #expect(cpu >= 0 && cpu <= 100)
            #expect(memory > 0 && memory < 100)
            #expect((checks["rss_mb"]?.double ?? 0) > 0)
            #expect((checks["cpu_cores"]?.int ?? 0) >= 1)
        }
    }

    @Test("the warm flags are backed by real state: the default datasets are in the cache")
    func warmDatasetsAreCached() async throws {
        let services = try TrainerServices(configuration: TrainerConfiguration(), logger: .init(label: "test"))
        for country in DatasetCache.defaultCountries {
            #expect(!services.datasets.contains(country: country, variables: .seedDefault))
        }
        #expect(services.warm.snapshot() == ["container_ready": false, "datasets": false, "solver": false])
        try await TrainerHarness.with { trainer in
            let warm = try #require(try await trainer.health()["warm_status"])
            #expect(warm["datasets"]?.bool == true)
        }
    }

    @Test("CPU usage reflects work: after a fit the recent window shows CPU used")
    func cpuUsageSeesWork() async throws {
        try await TrainerHarness.with({ $0.workScale = 0.2 }) { trainer in
            let fit = try await trainer.post("/train", seedPayload(iterations: 100, trials: 2))
            #expect(fit.status == 200)
            let cpu = try #require(try await trainer.health()["checks"]?["cpu_usage"]?.double)
            #expect(cpu > 0)
            #expect(cpu <= 100)
        }
    }

    @Test("memory usage is RSS over physical memory as /proc reports them")
    func memoryFigures() {
        let rss = ProcessResources.residentBytes()
        let total = ProcessResources.physicalMemoryBytes()
        #expect(rss > 1_000_000, "a Swift test process uses more than 1 MB")
        #expect(total > rss)
        let percent = UsageSampler().memoryPercent()
        #expect(abs(percent - rss / total * 100) < 1)
    }

    @Test("/health answers while a long fit runs, and stop() interrupts the fit")
    func responsiveDuringFit() async throws {
        var configuration = TrainerConfiguration(workScale: 1)
        configuration.fitThreads = 1
        configuration.bootstrapResamples = 200
        var logger = Logger(label: "test.trainer")
        logger.logLevel = .warning
        let trainer = ReferenceTrainer(configuration: configuration, logger: logger)
        let port = try await trainer.start()
        let harness = TrainerHarness(trainer: trainer, port: port)
        // About 3200 candidates × 30 ms: minutes of work, far longer than this test waits.
        let fit = Task { try? await harness.post("/train", seedPayload(iterations: 400, trials: 8)) }
        var sawActiveFit = false
        for _ in 0..<500 where !sawActiveFit {
            let health = try await harness.health()
            #expect(health.status == 200)
            sawActiveFit = health["checks"]?["active_fits"]?.int == 1
            if !sawActiveFit { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(sawActiveFit)
        await trainer.stop()
        let answer = await fit.value
        // The connection was closed or the fit was interrupted; either way no successful fit came back.
        #expect(answer?.status != 200)
    }
}

import Logging
