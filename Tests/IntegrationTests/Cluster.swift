import BenchCore
import BenchStore
import Foundation
import TestTiming

/// A real distributed topology on loopback for integration tests: certificates made by `mmmbench certs`, a
/// `mmmbench trainer`, a `mmmbench coordinator` and any number of `mmmbench agent` child processes.
final class Cluster: Sendable {
    let dir: TemporaryDirectory
    let trainer: ChildProcess
    let trainerURL: String
    let requestLog: String

    var certs: String { dir.file("certs") }
    var database: String { dir.file("collection.sqlite") }
    var reportDir: String { dir.file("reports") }

    /// Makes the CA, the coordinator certificate (SAN 127.0.0.1) and the named agents' certificates, and starts a
    /// trainer with `trainerArguments`: by default one that answers without fitting (`--instant`), so a test about
    /// sessions, certificates or refusals does not depend on how fast a loaded machine fits; tests about real work
    /// pass a `--work-scale`.
    init(agents: [String], trainerArguments: [String] = ["--instant"]) async throws {
        dir = try TemporaryDirectory()
        requestLog = dir.file("requests.jsonl")
        try await Self.run(["certs", "init", "--dir", dir.file("certs")])
        try await Self.run(["certs", "coordinator", "--dir", dir.file("certs"), "--san", "127.0.0.1,localhost"])
        for agent in agents { try await Self.run(["certs", "agent", "--dir", dir.file("certs"), "--name", agent]) }
        (trainer, trainerURL) = try await startTrainer(trainerArguments + ["--request-log", dir.file("requests.jsonl")])
    }

    /// Runs a short `mmmbench` command to completion and throws with its output if it fails.
    static func run(_ arguments: [String]) async throws {
        let child = try ChildProcess(arguments)
        let status = await child.waitForExit(timeout: .seconds(180))
        guard status == 0 else {
            throw IntegrationError("mmmbench \(arguments.joined(separator: " ")) failed (\(String(describing: status))):\n\(child.text)")
        }
    }

    /// Writes a plan file and returns its path.
    func plan(_ text: String, name: String = "plan.yaml") throws -> String {
        try text.write(toFile: dir.file(name), atomically: true, encoding: .utf8)
        return dir.file(name)
    }

    /// `--time-scale` for a coordinator whose plan's gaps are scaled by `base` (0.1 turns a 1 s gap into 0.1 s),
    /// times `TestTiming`'s scale: under a sanitizer the test process, which decides when to act, is the slowest part.
    static func timeScale(_ base: Double) -> [String] { ["--time-scale", String(base * TestTiming.scale)] }

    /// `--lease-seconds` for tests that count re-executed jobs across coordinator restarts: 90 s, scaled by
    /// `TestTiming`. While a restarted coordinator starts up, its agents' reconnects back off (0.5 s doubling to
    /// 30 s, ±20 %), and the backoff is only reset by a connection that succeeds: an agent that missed a few
    /// restarts in a row of a kill loop waits up to 36 s for its next try. A lease that ran out meanwhile rightly
    /// re-dispatches its job, and the test would count a re-execution that no lost result made necessary: with the
    /// default 30 s that happened once in a full test run on a loaded machine (2026-12-07: an agent back 53 s after
    /// its result, the lease ended). 90 s outlasts the longest wait and a slow start.
    static var scaledLease: [String] { ["--lease-seconds", String(Int(TestTiming.seconds(90)))] }

    /// Starts the coordinator on 127.0.0.1 `port` (0: a free one) and returns it with its port.
    ///
    /// Its hello timeout is the default 10 s scaled by `TestTiming` unless `extra` sets one: a test that speaks for an
    /// agent itself (an in-process `WireClient`) is as slow as the test process, and under TSan one such connection
    /// needed more than 10 s from its TCP connect to its hello, and the coordinator closed it as silent.
    func startCoordinator(plan: String?, extra: [String] = [], port: Int = 0) async throws -> (ChildProcess, Int) {
        var arguments = ["coordinator", "--listen", "127.0.0.1:\(port)", "--db", database,
                         "--cert", dir.file("certs/coordinator.pem"), "--key", dir.file("certs/coordinator-key.pem"),
                         "--ca", dir.file("certs/ca.pem"), "--report-dir", reportDir]
        if !extra.contains("--hello-timeout-seconds") {
            arguments += ["--hello-timeout-seconds", "\(TestTiming.seconds(10))"]
        }
        if let plan { arguments += ["--plan", plan] }
        let coordinator = try ChildProcess(arguments + extra)
        let prefix = "coordinator listening on 127.0.0.1:"
        guard let line = await coordinator.waitForLine(timeout: .seconds(180), { $0.contains(prefix) }),
              let range = line.range(of: prefix),
              let port = Int(line[range.upperBound...].prefix { $0.isNumber })
        else { throw IntegrationError("coordinator did not report its port:\n\(coordinator.text)") }
        return (coordinator, port)
    }

    /// Starts an agent with its own certificate and outbox.
    func startAgent(_ name: String, port: Int, slots: Int = 2, certName: String? = nil, extra: [String] = [])
        throws -> ChildProcess
    {
        let cert = certName ?? name
        return try ChildProcess([
            "agent", "--coordinator", "127.0.0.1:\(port)", "--cert", dir.file("certs/\(cert).pem"),
            "--key", dir.file("certs/\(cert)-key.pem"), "--ca", dir.file("certs/ca.pem"),
            "--trainer-url", trainerURL, "--slots", "\(slots)", "--outbox", dir.file("\(name).outbox"),
        ] + extra)
    }

    /// `/train` requests per job id, from the trainer's request log.
    func trainRequests() throws -> [String: Int] {
        try CollectionInvariants.trainRequests(log: requestLog)
    }

    func store() throws -> BenchStore { try BenchStore(path: database) }

    deinit { trainer.signal(SIGTERM) }
}
