import BenchCore
import BenchTLS
import Foundation
import Synchronization

/// Resident memory of a real coordinator process holding many idle agent connections (issue 4; the bar in
/// ANCHORS.md is 10,000 idle agents at 64 KiB RSS or less each).
///
/// 1. A throwaway CA, the coordinator's certificate and `agents` distinct agent certificates (`agent-00001`, ...).
/// 2. `mmmbench coordinator` as a child process (listening on 127.0.0.1 port 0; the port is read from its
///    `coordinator listening on` line, so there is no window in which another process could take it), with a plan
///    whose only job needs an agent label nobody carries: every agent is admitted and stays idle, and the collection
///    never completes.
/// 3. Its VmRSS once listening and settled; then `agents` agents connect from this process over mutual TLS (at most
///    `connectConcurrency` handshakes at once), each saying `hello` and answering with heartbeats; once every agent
///    is welcomed, the coordinator logged every one of them, and two heartbeat intervals passed, VmRSS again and
///    the coordinator's CPU use over `idleSeconds` of idleness.
/// 4. Agents say `bye`, the coordinator gets SIGTERM (SIGKILL after a bound), the directory is removed.
///
/// Every wait is bounded; on failure everything started is stopped and the error says which step failed.
enum IdleAgentsBenchmark {
    struct Options: Sendable {
        var agents: Int
        var coordinatorBinary: String
        var connectConcurrency: Int
        var idleSeconds: Int
        var heartbeatIntervalMS: Int
        var keepDirectory: Bool
    }

    /// Memory and CPU of the coordinator with the agents connected.
    struct Report: Sendable {
        let agents: Int
        let before: ProcessFigures
        let after: ProcessFigures
        let idleCPUPercent: Double
        var perAgentKiB: Double { Double(after.residentKiB - before.residentKiB) / Double(agents) }
        var perAgentAnonymousKiB: Double { Double(after.anonymousKiB - before.anonymousKiB) / Double(agents) }
    }

    /// Connections this process needs beyond one per agent (stdio, NIO's epoll and eventfds, SQLite, logs).
    static let spareDescriptors = 256

    static func run(_ options: Options) async throws -> Report {
        let started = ContinuousClock.now
        try ensureDescriptorLimit(for: options.agents)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mmmbench-idle-agents-\(UUID().uuidString)").path
        defer {
            if options.keepDirectory {
                IdleAgentsSession.say("kept \(directory)")
            } else {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        let certificates = try await IdleAgentsCertificates.issue(agents: options.agents, in: directory + "/certs")
        let planPath = directory + "/plan.json"
        try writeUnroutablePlan(to: planPath)

        let coordinator = try SpawnedProcess(
            executable: options.coordinatorBinary,
            arguments: [
                "coordinator", "--listen", "127.0.0.1:0", "--db", directory + "/idle.sqlite", "--plan", planPath,
                "--cert", certificates.server.certificatePath, "--key", certificates.server.privateKeyPath,
                "--ca", certificates.authority.certificatePath, "--log-level", "notice",
                "--heartbeat-interval-ms", String(options.heartbeatIntervalMS),
                "--heartbeat-timeout-ms", String(max(10_000, options.heartbeatIntervalMS * 5)),
            ],
            logPath: directory + "/coordinator.log")
        IdleAgentsSession.say("coordinator started: pid \(coordinator.pid), output in \(coordinator.logPath)")
        var log = CoordinatorLogScanner(path: coordinator.logPath)
        let session = IdleAgentsSession(options: options, coordinator: coordinator, certificates: certificates)
        do {
            let report = try await session.measure(log: &log)
            let stopped = await session.finish(log: &log)
            IdleAgentsSession.say(stopped)
            IdleAgentsSession.say(String(format: "idle-agents run took %.1f s", seconds(ContinuousClock.now - started)))
            return report
        } catch var error as IdleAgentsError {
            _ = await session.finish(log: &log)
            if error.coordinatorOutput.isEmpty {
                error.coordinatorOutput = log.problems.prefix(5) + log.lastLines.suffix(8)
            }
            throw error
        } catch {
            _ = await session.finish(log: &log)
            throw error
        }
    }

    /// Fails unless this process (and so the coordinator, which inherits the limit) may open one descriptor per
    /// agent plus spares; raises the soft limit up to the hard one when that suffices.
    static func ensureDescriptorLimit(for agents: Int) throws(IdleAgentsError) {
        let needed = rlim_t(agents + spareDescriptors)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            throw IdleAgentsError(kind: .setup, operation: "check the open-file limit",
                                  reason: String(cString: strerror(errno)))
        }
        guard limit.rlim_cur < needed else { return }
        if limit.rlim_max >= needed {
            limit.rlim_cur = needed
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { return }
        }
        throw IdleAgentsError(
            kind: .setup, operation: "check the open-file limit",
            reason: "\(agents) agents need \(needed) open files in this process and in the coordinator, but the "
                + "limit is \(limit.rlim_cur) (hard \(limit.rlim_max)); raise it (ulimit -n \(needed)) or use "
                + "fewer --agents")
    }

    /// One day, one job, routed to `pool=no-agent-has-this-label`: agents are admitted but never get work.
    static func writeUnroutablePlan(to path: String) throws(IdleAgentsError) {
        let plan = Plan(
            days: 1,
            jobs: [JobConfig(type: "idle", iterations: 1, trials: 1, countries: ["xx"],
                             labels: ["pool": "no-agent-has-this-label"])],
            jobGapSeconds: 0, dayGapSeconds: 0)
        do {
            try plan.canonicalJSON().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw IdleAgentsError(kind: .setup, operation: "write the plan", reason: "\(path): \(error)")
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
