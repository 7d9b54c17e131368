import BenchAgent
import BenchCoordinator
import BenchCore
import BenchStore
import BenchTLS
import BenchTrainer
import Foundation
import Logging

/// End-to-end throughput of a collection: coordinator + agents + mutual TLS + every result committed
/// (`synchronous=FULL`), against a fixed-200 endpoint (``FixedResponseServer``, ANCHORS.md's nginx), the reference
/// trainer in instant mode, or with agents that skip the trainer.
///
/// Everything runs in this process (coordinator, agents, trainer) on loopback, as separate event-loop clients and
/// servers over real TLS; the figure is jobs committed per second from the moment the coordinator listens to the
/// moment it returns. A run in which any job's measurement failed (or was given up) throws: only successful
/// measurements are counted.
enum DistributedBenchmark {
    /// What answers the agents' `POST /train`.
    enum Trainer: String, CaseIterable, Sendable {
        /// ``FixedResponseServer``: every request read and answered with one pre-encoded 200, like nginx.
        case fixed
        /// The reference trainer (Hummingbird) in instant mode: routes, decodes and validates every body.
        case reference

        /// How figures name it.
        var label: String {
            switch self {
            case .fixed: "trainer = fixed 200 endpoint"
            case .reference: "trainer = reference, instant"
            }
        }
    }

    struct Report {
        let jobs: Int
        let seconds: Double
        var jobsPerSecond: Double { Double(jobs) / seconds }
    }

    /// One collection of `jobs` jobs; `trainer` is ignored when `skipTrainer`.
    static func run(
        jobs: Int, agents: Int, slots: Int, maxInFlight: Int, skipTrainer: Bool, trainer kind: Trainer
    ) async throws -> Report {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-dist-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certs = directory + "/certs"
        let authority = try CertificateAuthority.create(in: certs)
        let server = try authority.issueServerCertificate(subjectAlternativeNames: [.ip("127.0.0.1")])
        let agentNames = (1...agents).map { "agent-\($0)" }
        let agentFiles = try agentNames.map { try authority.issueClientCertificate(agentName: $0) }

        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        var trainerURL: String?
        var trainer: ReferenceTrainer?
        var fixed: FixedResponseServer?
        switch (skipTrainer, kind) {
        case (true, _):
            break
        case (false, .fixed):
            let server = try await FixedResponseServer.start()
            trainerURL = "http://127.0.0.1:\(server.port)"
            fixed = server
        case (false, .reference):
            var configuration = TrainerConfiguration()
            configuration.instant = true
            let reference = ReferenceTrainer(configuration: configuration, logger: logger)
            trainerURL = "http://127.0.0.1:\(try await reference.start())"
            trainer = reference
        }

        // One day, one config, `jobs` countries: no day gate, no job gap, so dispatch and commit are what is timed.
        let countries = (0..<jobs).map { String(format: "c%06d", $0) }
        let plan = Plan(days: 1, jobs: [JobConfig(type: "bench", iterations: 1, trials: 1, countries: countries)],
                        timeoutSeconds: 60, jobGapSeconds: 0, dayGapSeconds: 0, maxInFlight: maxInFlight)
        let coordinatorConfiguration = CoordinatorConfiguration(
            host: "127.0.0.1", port: 0, databasePath: directory + "/bench.sqlite", plan: plan,
            tls: TLSConfiguration(certificateChainPath: server.certificatePath,
                                  privateKeyPath: server.privateKeyPath, trustRootsPath: authority.certificatePath),
            progressIntervalSeconds: 3600)
        let coordinator = Coordinator(configuration: coordinatorConfiguration, logger: logger)
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let clock = ContinuousClock()
        let started = SendableBox<ContinuousClock.Instant?>(nil)

        let status = try await withThrowingTaskGroup(of: CollectionStatus?.self) { group in
            group.addTask {
                let status = try await coordinator.run { port in
                    started.value = clock.now
                    portContinuation.yield(port)
                    portContinuation.finish()
                }
                return status
            }
            var port = 0
            for await value in portStream { port = value }
            for (index, files) in agentFiles.enumerated() {
                let configuration = AgentConfiguration(
                    coordinatorHost: "127.0.0.1", coordinatorPort: port, serverName: "127.0.0.1",
                    tls: TLSConfiguration(certificateChainPath: files.certificatePath,
                                          privateKeyPath: files.privateKeyPath,
                                          trustRootsPath: authority.certificatePath),
                    trainerURL: trainerURL, slots: slots, outboxPath: directory + "/\(agentNames[index]).outbox",
                    skipTrainer: skipTrainer)
                let agent = Agent(configuration: configuration, logger: logger)
                group.addTask {
                    try await agent.run()
                    return nil
                }
            }
            var final: CollectionStatus?
            for try await value in group { if let value { final = value } }
            return final
        }
        let elapsed = started.value.map { clock.now - $0 } ?? .zero
        await trainer?.stop()
        await fixed?.stop()
        guard let status, status.done == jobs else {
            throw BenchmarkFailure("collection did not complete: \(String(describing: status))")
        }
        guard status.failedMeasurements == 0, status.harnessErrors == 0 else {
            throw BenchmarkFailure("\(status.failedMeasurements) failed measurements and \(status.harnessErrors) "
                                   + "jobs given up out of \(jobs): the figure would count failures")
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Report(jobs: jobs, seconds: seconds)
    }
}

/// A value set from one task and read after it finished.
final class SendableBox<Value: Sendable>: @unchecked Sendable {
    // Written once by the coordinator's onListening callback before any reader can look (readers run after the
    // coordinator returned), so no lock is needed; @unchecked for that reason only.
    var value: Value
    init(_ value: Value) { self.value = value }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
