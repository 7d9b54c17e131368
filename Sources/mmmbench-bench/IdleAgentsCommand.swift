import ArgumentParser
import Foundation

/// `mmmbench-bench idle-agents`: the coordinator's resident memory per connected idle agent.
struct IdleAgentsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle-agents",
        abstract: "Coordinator RSS with N idle agents connected over mutual TLS (a real `mmmbench coordinator` child).",
        discussion: """
            Starts `mmmbench coordinator` (by default the one next to this executable: build it with \
            `swift build -c release --product mmmbench`) with a plan no agent can run, connects --agents agents \
            from this process (each with its own certificate, hello, heartbeats), and prints the coordinator's \
            VmRSS before and after and per agent. Needs one open file per agent (ulimit -n).
            """
    )

    @Option(help: "Idle agents to connect.")
    var agents = 1_000

    @Option(name: .customLong("coordinator-binary"),
            help: "The mmmbench executable to run as coordinator (default: mmmbench next to this executable).")
    var coordinatorBinary: String?

    @Option(name: .customLong("connect-concurrency"), help: "TLS handshakes in flight at once while connecting.")
    var connectConcurrency = 32

    @Option(name: .customLong("idle-seconds"),
            help: "How long the agents idle (after two heartbeat intervals) before the memory is read.")
    var idleSeconds = 10

    @Option(name: .customLong("heartbeat-interval-ms"), help: "Heartbeat interval given to the coordinator.")
    var heartbeatIntervalMS = 2_000

    @Flag(name: .customLong("keep-directory"), help: "Keep the temporary directory (certificates, database, log).")
    var keepDirectory = false

    func validate() throws {
        guard agents >= 1 else { throw ValidationError("--agents must be at least 1") }
        guard agents <= 99_999 else { throw ValidationError("--agents must be at most 99999") }
        guard connectConcurrency >= 1 else { throw ValidationError("--connect-concurrency must be at least 1") }
        guard idleSeconds >= 1 else { throw ValidationError("--idle-seconds must be at least 1") }
        guard heartbeatIntervalMS >= 100 else { throw ValidationError("--heartbeat-interval-ms must be >= 100") }
    }

    func run() async throws {
        let binary = coordinatorBinary ?? Self.siblingExecutable("mmmbench")
        do {
            guard FileManager.default.isExecutableFile(atPath: binary) else {
                throw IdleAgentsError(
                    kind: .setup, operation: "find the coordinator",
                    reason: "no executable at \(binary): build it with `swift build -c release --product mmmbench` "
                        + "(or pass --coordinator-binary PATH)")
            }
            let report = try await IdleAgentsBenchmark.run(IdleAgentsBenchmark.Options(
                agents: agents, coordinatorBinary: binary, connectConcurrency: connectConcurrency,
                idleSeconds: idleSeconds, heartbeatIntervalMS: heartbeatIntervalMS, keepDirectory: keepDirectory))
            IdleAgentsSession.say(String(
                format: "coordinator memory with %d idle agents: VmRSS %.1f -> %.1f MiB = %.1f KiB per agent "
                    + "(RssAnon %.1f KiB per agent; bar: 64 KiB at 10,000 agents)",
                report.agents, Double(report.before.residentKiB) / 1024, Double(report.after.residentKiB) / 1024,
                report.perAgentKiB, report.perAgentAnonymousKiB))
        } catch let error as IdleAgentsError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// `name` in the directory of the running executable (resolved through /proc/self/exe, so also when this
    /// binary was started through a symlink or from PATH).
    static func siblingExecutable(_ name: String) -> String {
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return own.deletingLastPathComponent().appendingPathComponent(name).path
    }
}
