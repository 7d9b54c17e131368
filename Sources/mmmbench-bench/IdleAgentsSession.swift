import Foundation

/// One run of the idle-agents benchmark against a started coordinator: waits for it to listen, measures it before
/// and after the agents connect, then stops agents and coordinator. Every wait is bounded and watches the
/// coordinator and the agents, so a dead coordinator or a dropped agent ends the run at once with its reason.
///
/// Not Sendable: owned and used by the benchmark's one task.
final class IdleAgentsSession {
    let options: IdleAgentsBenchmark.Options
    let coordinator: SpawnedProcess
    let certificates: IdleAgentsCertificates
    private var fleet: IdleAgentFleet?
    private var fleetTask: Task<Void, Never>?

    init(options: IdleAgentsBenchmark.Options, coordinator: SpawnedProcess,
         certificates: IdleAgentsCertificates) {
        self.options = options
        self.coordinator = coordinator
        self.certificates = certificates
    }

    /// Writes one line of the benchmark's output at once (not buffered, so a watching operator sees progress).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Steps 2-3 of ``IdleAgentsBenchmark``: the coordinator's figures without and with the agents.
    func measure(log: inout CoordinatorLogScanner) async throws -> IdleAgentsBenchmark.Report {
        let agents = options.agents
        try await waitUntil("the coordinator prints its port", timeout: .seconds(60), log: &log) {
            $0.listeningPort != nil
        }
        guard let port = log.listeningPort else { throw failure(.coordinator, "start the coordinator", "no port") }
        try await pause(.seconds(2), log: &log)
        let before = try ProcessFigures.read(pid: coordinator.pid)
        Self.say("coordinator listening on 127.0.0.1:\(port), settled: \(before.summary)")

        let fleet = IdleAgentFleet(port: port, trustRootsPath: certificates.authority.certificatePath,
                                   identities: certificates.agents, connectConcurrency: options.connectConcurrency)
        self.fleet = fleet
        fleetTask = Task { await fleet.run() }
        let connectStarted = ContinuousClock.now
        var lastReport = ContinuousClock.now
        let connectBound = Duration.seconds(60 + agents * 30 / 1000)
        try await waitUntil("\(agents) agents are welcomed", timeout: connectBound, log: &log) { _ in
            let welcomed = fleet.counts.welcomed
            if ContinuousClock.now - lastReport >= .seconds(5) {
                lastReport = ContinuousClock.now
                Self.say("  \(welcomed)/\(agents) agents welcomed")
            }
            return welcomed == agents
        }
        let connectSeconds = IdleAgentsBenchmark.seconds(ContinuousClock.now - connectStarted)
        Self.say(String(format: "%d agents connected and welcomed in %.1f s (%.0f/s, %d handshakes at a time)",
                        agents, connectSeconds, Double(agents) / max(connectSeconds, 1e-9),
                        options.connectConcurrency))
        try await waitUntil("the coordinator logs \(agents) connected agents", timeout: .seconds(30), log: &log) {
            $0.connected >= agents
        }

        let interval = Duration.milliseconds(options.heartbeatIntervalMS)
        try await pause(interval * 2, log: &log)
        let settled = try ProcessFigures.read(pid: coordinator.pid)
        let ownCPUStart = Self.ownCPUSeconds()
        try await pause(.seconds(options.idleSeconds), log: &log)
        let after = try ProcessFigures.read(pid: coordinator.pid)
        let ownCPU = Self.ownCPUSeconds() - ownCPUStart
        let counts = fleet.counts
        guard counts.heartbeatsReceived > 0 else {
            throw failure(.agents, "hold idle agents", "no agent received a heartbeat from the coordinator")
        }
        let report = IdleAgentsBenchmark.Report(
            agents: agents, before: before, after: after,
            idleCPUPercent: 100 * (after.cpuSeconds - settled.cpuSeconds) / Double(options.idleSeconds))
        Self.say("coordinator with \(agents) idle agents (its log: \(log.connected) connected, "
                 + "\(log.disconnected) disconnected): \(after.summary)")
        Self.say(String(format: "  %d s earlier: VmRSS %.1f MiB; heartbeats so far: %d sent by agents, %d received",
                        options.idleSeconds, Double(settled.residentKiB) / 1024, counts.heartbeatsSent,
                        counts.heartbeatsReceived))
        Self.say(String(format: "  idle CPU over %d s: coordinator %.1f%% of one core, this process (the agents) "
                        + "%.1f%%", options.idleSeconds, report.idleCPUPercent,
                        100 * ownCPU / Double(options.idleSeconds)))
        return report
    }

    /// Step 4: agents say bye, the coordinator is stopped by its PID. Returns a line saying how both ended.
    func finish(log: inout CoordinatorLogScanner) async -> String {
        var lines: [String] = []
        if let fleet, let fleetTask {
            fleet.stop()
            let bound = Duration.milliseconds(options.heartbeatIntervalMS) + .seconds(15)
            let ended = await pollUntil(timeout: bound) { fleet.hasFinished }
            if !ended {
                fleetTask.cancel()
                _ = await pollUntil(timeout: .seconds(10)) { fleet.hasFinished }
            }
            let counts = fleet.counts
            _ = await pollUntil(timeout: .seconds(10)) { [coordinator] in
                log.poll()
                return log.disconnected >= log.connected || coordinator.hasExited
            }
            var line = "agents closed: \(counts.ended) sessions ended"
                + (ended ? "" : " (cancelled after \(bound) without ending on bye)")
                + "; coordinator logged \(log.disconnected) disconnects"
            if let figures = try? ProcessFigures.read(pid: coordinator.pid) {
                line += "; coordinator now \(figures.summary)"
            }
            lines.append(line)
        }
        let exit = await coordinator.stop(grace: .seconds(20))
        lines.append("coordinator pid \(coordinator.pid) stopped with SIGTERM: \(exit)")
        return lines.joined(separator: "\n")
    }

    // MARK: - Bounded waiting

    /// Waits until `condition` holds, failing if it does not within `timeout`, if the coordinator exits, or if any
    /// agent failed to connect or was dropped. Polls every 100 ms.
    private func waitUntil(
        _ what: String, timeout: Duration, log: inout CoordinatorLogScanner,
        _ condition: (CoordinatorLogScanner) -> Bool
    ) async throws(IdleAgentsError) {
        let deadline = ContinuousClock.now + timeout
        while true {
            log.poll()
            try check(log: log, during: "wait until \(what)")
            if condition(log) { return }
            guard ContinuousClock.now < deadline else {
                throw failure(.coordinator, "wait until \(what)", "not within \(timeout)"
                              + (fleet.map { "; agents: \($0.counts.welcomed) welcomed" } ?? ""))
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Lets `duration` pass while watching the coordinator and the agents.
    private func pause(_ duration: Duration, log: inout CoordinatorLogScanner) async throws(IdleAgentsError) {
        let end = ContinuousClock.now + duration
        try await waitUntil("\(duration) passed", timeout: duration + .seconds(1), log: &log) { _ in
            ContinuousClock.now >= end
        }
    }

    private func check(log: CoordinatorLogScanner, during operation: String) throws(IdleAgentsError) {
        if coordinator.hasExited {
            throw failure(.coordinator, operation, "the coordinator exited (\(coordinator.exitDescription))")
        }
        guard let counts = fleet?.counts else { return }
        if counts.connectFailures > 0 || counts.droppedWhileIdle > 0 {
            throw failure(.agents, operation,
                          "\(counts.connectFailures) agents failed to connect, \(counts.droppedWhileIdle) dropped "
                          + "while idle; first: " + counts.failures.joined(separator: "; "))
        }
    }

    private func pollUntil(timeout: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return true
    }

    private func failure(_ kind: IdleAgentsError.Kind, _ operation: String, _ reason: String) -> IdleAgentsError {
        IdleAgentsError(kind: kind, operation: operation, reason: reason)
    }

    private static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}
