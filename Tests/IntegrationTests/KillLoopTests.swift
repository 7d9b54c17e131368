import BenchCore
import BenchStore
import Foundation
import Testing
import TestTiming

/// SIGKILL loops over real child processes: the coordinator killed again and again, agents killed with their outbox
/// kept and with it deleted. Each kill lands at a moment the test chooses (after the k-th committed or finished line
/// of the process, k cycling 1, 2, 3), never after a sleep. Each test prints its figures on one `FIGURES` line,
/// which `scripts/nightly` collects into its table.
///
/// `MMMBENCH_KILLS` sets the number of kills per loop (default 20; `scripts/nightly` runs 200).
@Suite("Kill loops: SIGKILL the coordinator and agents again and again; nothing lost, nothing counted twice",
       .serialized)
struct KillLoopTests {
    static var kills: Int {
        ProcessInfo.processInfo.environment["MMMBENCH_KILLS"].flatMap { Int($0) }.map { min(max($0, 1), 2000) } ?? 20
    }

    /// A one-config plan of at least `jobs` small jobs, paced by a job gap (100 ms at `--time-scale 0.1`) so that
    /// a kill cycle uses a few jobs however fast the machine is, and the matrix outlasts the loop.
    static func planText(jobs: Int, maxAttempts: Int = 3) -> String {
        let countries = (1...20).map { String(format: "k%02d", $0) }
        let days = min(366, (jobs + countries.count - 1) / countries.count)
        return """
            days: \(days)
            job_gap_seconds: 1
            day_gap_seconds: 0
            timeout_seconds: 60
            max_attempts: \(maxAttempts)
            jobs: [{type: small, iterations: 5, trials: 1, countries: [\(countries.joined(separator: ", "))]}]
            """
    }

    /// `--time-scale` of the loops' coordinators: the plan's 1 s job gap becomes 0.1 s, times `TestTiming`'s scale.
    /// Under a sanitizer the test process (which decides when to kill) is the slowest part: with 0.1 s gaps a TSan
    /// run's collection once finished before the loop's last kill, and the restarted coordinator had nothing to do.
    static var timeScale: [String] { Cluster.timeScale(0.1) }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func figuresLine(_ name: String, kills: Int, reexecuted: Int, figures: CollectionInvariants.Figures,
                            recoveries: [Double], counting: String = "kills") -> String {
        let mean = recoveries.isEmpty ? 0 : recoveries.reduce(0, +) / Double(recoveries.count)
        let max = recoveries.max() ?? 0
        return "FIGURES \(name) \(counting)=\(kills) jobs=\(figures.jobs) reexecuted=\(reexecuted) "
            + "lost=\(figures.lost) double=\(figures.double) recovery_mean_s=\(String(format: "%.2f", mean)) "
            + "recovery_max_s=\(String(format: "%.2f", max))"
    }

    @Test("coordinator SIGKILL loop: every kill recovered, no job lost, counted twice or run twice")
    func coordinatorKillLoop() async throws {
        let kills = Self.kills
        let cluster = try await Cluster(agents: ["agent-1", "agent-2"], trainerArguments: ["--instant"])
        let planText = Self.planText(jobs: kills * 12 + 40)
        let plan = try PlanLoader.load(text: planText)
        let total = plan.expandJobs().count
        let planPath = try cluster.plan(planText)
        let timing = Self.timeScale + Cluster.scaledLease
        var (coordinator, port) = try await cluster.startCoordinator(plan: planPath, extra: timing)
        // Every coordinator of the loop, for the story of a re-executed job.
        var coordinators = [coordinator]
        let agents = try ["agent-1", "agent-2"].map { try cluster.startAgent($0, port: port, slots: 1) }
        defer { for agent in agents { agent.signal(SIGKILL) } }
        /// A result committed and counted: `result <task> from <agent>: ok … [done/total]`.
        let committed: @Sendable (String) -> Bool = { $0.contains("result ") && $0.contains("/\(total)]") }

        var recoveries: [Double] = []
        for kill in 0..<kills {
            let k = 1 + kill % 3
            let reached = await coordinator.waitForLines(k, timeout: .seconds(300), committed)
            let tail = coordinator.text.suffix(4000)
            try #require(reached, "kill \(kill + 1): no \(k) committed results (or the collection ended):\n\(tail)")
            coordinator.signal(SIGKILL)
            #expect(await coordinator.waitForExit(timeout: .seconds(60)) == SIGKILL)
            let killedAt = ContinuousClock.now
            (coordinator, _) = try await cluster.startCoordinator(
                plan: planPath, extra: timing + ["--listen", "127.0.0.1:\(port)"])
            coordinators.append(coordinator)
            let recovered = await coordinator.waitForLines(1, timeout: .seconds(300), committed)
            let after = coordinator.text.suffix(4000)
            try #require(recovered, "kill \(kill + 1): no result committed after the restart:\n\(after)")
            recoveries.append(Self.seconds(ContinuousClock.now - killedAt))
        }
        #expect(await coordinator.waitForExit(timeout: .seconds(600)) == 0, "\(coordinator.text.suffix(4000))")
        for agent in agents { _ = await agent.waitForExit(timeout: .seconds(60)) }

        let figures = try CollectionInvariants.check(
            database: cluster.database, plan: plan, trainRequests: try cluster.trainRequests(),
            outboxes: ["agent-1", "agent-2"].map { cluster.dir.file("\($0).outbox") })
        // Agents keep running through coordinator restarts and re-attach their attempts: nothing runs twice.
        let children = coordinators.map { (name: "coordinator", child: $0) } + agents.map { (name: "agent", child: $0) }
        #expect(figures.extraTrainerCalls == 0, """
            attempts re-executed after coordinator kills
            \(CollectionInvariants.story(of: figures.rerunJobs, in: children))
            """)
        print(Self.figuresLine("kill-loop-coordinator", kills: kills, reexecuted: figures.extraTrainerCalls,
                               figures: figures, recoveries: recoveries))
    }

    @Test("agent SIGKILL loop, outbox kept and outbox deleted: every job counted once, re-runs only what was lost")
    func agentKillLoop() async throws {
        let kills = Self.kills
        let names = ["agent-1", "agent-2"]
        let cluster = try await Cluster(agents: names, trainerArguments: ["--instant"])
        // A deleted outbox loses the attempts it held; they are re-dispatched, which uses up attempts.
        let planText = Self.planText(jobs: kills * 12 + 40, maxAttempts: 1000)
        let plan = try PlanLoader.load(text: planText)
        let planPath = try cluster.plan(planText)
        let (coordinator, port) = try await cluster.startCoordinator(plan: planPath, extra: Self.timeScale)
        defer { coordinator.signal(SIGKILL) }
        // Debug level for the `started` lines the mid-attempt kills wait for.
        let agentArguments = ["--log-level", "debug"]
        var agents = try names.map { try cluster.startAgent($0, port: port, slots: 1, extra: agentArguments) }
        defer { for agent in agents { agent.signal(SIGKILL) } }

        var recoveries: [Double] = []
        var deleted = 0
        for kill in 0..<kills {
            // Agents take turns; each is killed right after an attempt started (mid-attempt) or finished (result in
            // the outbox, maybe not yet sent), with its outbox kept or deleted, in every combination.
            let index = kill % 2
            let name = names[index]
            let moment = (kill / 2) % 2 == 0 ? "finished" : "started"
            let deleteOutbox = (kill / 4) % 2 == 1
            let finished: @Sendable (String) -> Bool = { $0.contains("agent \(name) finished ") }
            let killMoment: @Sendable (String) -> Bool = { $0.contains("agent \(name) \(moment) ") }
            let k = 1 + kill % 3
            let reached = await agents[index].waitForLines(k, timeout: .seconds(300), killMoment)
            let tail = agents[index].text.suffix(4000)
            try #require(reached, "kill \(kill + 1): \(name) did not log \(k) \(moment) lines:\n\(tail)")
            agents[index].signal(SIGKILL)
            #expect(await agents[index].waitForExit(timeout: .seconds(60)) == SIGKILL)
            let killedAt = ContinuousClock.now
            if deleteOutbox {
                let outbox = cluster.dir.file("\(name).outbox")
                for file in [outbox, outbox + "-wal", outbox + "-shm"] {
                    try? FileManager.default.removeItem(atPath: file)
                }
                deleted += 1
            }
            agents[index] = try cluster.startAgent(name, port: port, slots: 1, extra: agentArguments)
            let recovered = await agents[index].waitForLines(1, timeout: .seconds(300), finished)
            let after = agents[index].text.suffix(4000)
            try #require(recovered, "kill \(kill + 1): restarted \(name) finished nothing:\n\(after)")
            recoveries.append(Self.seconds(ContinuousClock.now - killedAt))
        }
        #expect(await coordinator.waitForExit(timeout: .seconds(600)) == 0, "\(coordinator.text.suffix(4000))")
        for agent in agents { _ = await agent.waitForExit(timeout: .seconds(60)) }

        let figures = try CollectionInvariants.check(
            database: cluster.database, plan: plan, trainRequests: try cluster.trainRequests(),
            outboxes: names.map { cluster.dir.file("\($0).outbox") })
        // At most what each kill took with it runs again: the one running attempt (slots 1) and, when the outbox
        // went too, the results it held unacknowledged (a job gap apart, so a few at most).
        #expect(figures.extraTrainerCalls <= kills * 3, "re-executed \(figures.extraTrainerCalls) for \(kills) kills")
        print(Self.figuresLine("kill-loop-agent", kills: kills, reexecuted: figures.extraTrainerCalls,
                               figures: figures, recoveries: recoveries) + " outbox_deleted=\(deleted)")
    }
}

extension ChildProcess {
    /// Waits until `count` lines of this process satisfy `predicate`; false when the deadline passes or the process
    /// exits first.
    func waitForLines(_ count: Int, timeout: Duration, _ predicate: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + TestTiming.scaled(timeout)
        while ContinuousClock.now < deadline {
            if lines.lazy.filter(predicate).count >= count { return true }
            if !process.isRunning { return lines.lazy.filter(predicate).count >= count }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
