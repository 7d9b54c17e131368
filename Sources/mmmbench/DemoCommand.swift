import ArgumentParser
import BenchCore
import BenchStore
import Foundation

/// `mmmbench demo`: the whole product on one machine in about a minute, as separate processes.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the real topology here: trainer, coordinator and three agents over mutual TLS; write the reports.",
        discussion: """
            Makes a throwaway CA and certificates with `mmmbench certs` (in <dir>/certs), starts the reference \
            trainer, a coordinator and three agents as separate processes on 127.0.0.1 (free ports), collects the \
            seed's default matrix (3 days x 9 jobs) with the training work and the job/day gaps scaled down; the \
            plan has checks.run: after, so the coordinator then runs the optimization test suite through the \
            agents (the load check spread over two of them, the rollback check of ./deploy/rollback.sh on its own \
            host). The database, the baseline and test reports and every process's log end up in <dir>.
            """
    )

    @Option(help: "Where the certificates, database, reports and logs go.")
    var dir: String = "mmmbench-demo"

    @Option(name: .customLong("work-scale"), parsing: .unconditional, help: "Trainer work scale (1 = full-size fits).")
    var workScale: Double = 0.03

    @Option(name: .customLong("time-scale"), parsing: .unconditional,
            help: "Scale of the plan's job and day gaps (4 h x 0.0005 = 7.2 s).")
    var timeScale: Double = 0.0005

    @Option(parsing: .unconditional, help: "Agent processes.")
    var agents: Int = 3

    @Option(parsing: .unconditional, help: "Slots (concurrent jobs) per agent.")
    var slots: Int = 1

    func validate() throws {
        guard workScale > 0, workScale <= 10 else { throw ValidationError("--work-scale must be in (0, 10]") }
        guard timeScale >= 0, timeScale <= 1 else { throw ValidationError("--time-scale must be in [0, 1]") }
        guard (1...16).contains(agents) else { throw ValidationError("--agents must be 1...16") }
        guard (1...64).contains(slots) else { throw ValidationError("--slots must be 1...64") }
    }

    func run() async throws {
        let demo = DemoTopology(directory: dir, workScale: workScale, timeScale: timeScale, agents: agents,
                                slots: slots)
        do {
            try await SignalCancellation.run { try await demo.run() }
        } catch {
            await demo.stopAll()
            if SignalCancellation.wasInterrupted { throw ExitCode(130) }
            throw error
        }
    }
}
