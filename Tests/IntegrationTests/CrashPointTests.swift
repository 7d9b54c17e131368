import BenchCore
import BenchStore
import Foundation
import Testing

/// Every crash point (`MMMBENCH_CRASH_AT`, see `CrashPoint`) in real child processes: the armed process dies at the
/// point (SIGKILL, no cleanup), the restart without it finishes the collection, and nothing is lost, counted twice,
/// or sent to the trainer again where no result was lost.
@Suite("Crash points: die at the point, restart, finish; nothing lost or counted twice", .serialized)
struct CrashPointTests {
    /// Which process is armed.
    enum Victim: String, Sendable {
        case coordinator, agent, collect
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let victim: Victim
        let point: CrashPoint
        let hit: Int
        /// `/train` calls beyond one per job that the crash makes necessary (a trainer answer that died with its
        /// process); every other job is sent to the trainer exactly once.
        let extraTrainerCalls: Int

        var setting: String { "\(point.rawValue):\(hit)" }
        var testDescription: String { "\(victim.rawValue) at \(setting)" }
    }

    static let cases: [Case] = [
        Case(victim: .coordinator, point: .leaseBeforeAssign, hit: 3, extraTrainerCalls: 0),
        Case(victim: .coordinator, point: .resultBeforeCommit, hit: 2, extraTrainerCalls: 0),
        Case(victim: .coordinator, point: .commitBeforeAck, hit: 3, extraTrainerCalls: 0),
        Case(victim: .coordinator, point: .migration, hit: 1, extraTrainerCalls: 0),
        // The answer died with the agent before reaching its outbox: that one job must run again.
        Case(victim: .agent, point: .agentAfterTrainer, hit: 2, extraTrainerCalls: 1),
        Case(victim: .agent, point: .agentAfterOutbox, hit: 2, extraTrainerCalls: 0),
        Case(victim: .collect, point: .leaseBeforeAssign, hit: 3, extraTrainerCalls: 0),
        // `collect` keeps no outbox: the trainer's answer died with it.
        Case(victim: .collect, point: .resultBeforeCommit, hit: 3, extraTrainerCalls: 1),
        Case(victim: .collect, point: .commitBeforeAck, hit: 3, extraTrainerCalls: 0),
        Case(victim: .collect, point: .migration, hit: 1, extraTrainerCalls: 0),
    ]

    /// Eight small jobs, no gaps: enough hits for every point, a few seconds per case.
    static let planText = """
        days: 1
        job_gap_seconds: 0
        day_gap_seconds: 0
        timeout_seconds: 60
        jobs: [{type: small, iterations: 5, trials: 1, countries: [fr, de, uk, es, it, nl, be, pt]}]
        """

    static func environment(_ setting: String) -> [String: String] {
        [CrashPoint.enableVariable: "1", CrashPoint.pointVariable: setting]
    }

    /// The armed process died by SIGKILL at the point, after saying it was armed.
    static func expectDiedAtPoint(
        _ child: ChildProcess, _ crash: Case, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let status = await child.waitForExit(timeout: .seconds(180))
        #expect(status == SIGKILL && child.process.terminationReason == .uncaughtSignal,
                "expected death by SIGKILL at \(crash.setting), got \(String(describing: status)):\n\(child.text)",
                sourceLocation: sourceLocation)
        #expect(child.text.contains("CRASH POINT ARMED"), sourceLocation: sourceLocation)
        #expect(child.text.contains("CRASH POINT '\(crash.point.rawValue)' reached"), sourceLocation: sourceLocation)
    }

    /// After a `migration` crash the newest migration is not recorded: the restart has to run it.
    static func expectNewestMigrationPending(_ database: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let applied = try SQLiteInspection.appliedMigrations(path: database)
        #expect(!applied.isEmpty, "older migrations committed before the crash", sourceLocation: sourceLocation)
        #expect(!applied.contains(SQLiteInspection.newestMigration), "\(applied)", sourceLocation: sourceLocation)
    }

    @Test("crash at the point, restart without it: every job terminal, counted once, files sound",
          arguments: cases)
    func crashAndRestart(_ crash: Case) async throws {
        let figures: CollectionInvariants.Figures
        let children: [(name: String, child: ChildProcess)]
        switch crash.victim {
        case .collect: (figures, children) = try await collectCase(crash)
        case .coordinator, .agent: (figures, children) = try await distributedCase(crash)
        }
        #expect(figures.extraTrainerCalls == crash.extraTrainerCalls,
                """
                trainer calls beyond one per job: \(figures.extraTrainerCalls)
                \(CollectionInvariants.story(of: figures.rerunJobs, in: children))
                """)
        print("crash point \(crash.testDescription): jobs \(figures.jobs), lost \(figures.lost), double "
              + "\(figures.double), re-executed \(figures.extraTrainerCalls)")
    }

    private func collectCase(_ crash: Case) async throws
        -> (CollectionInvariants.Figures, [(name: String, child: ChildProcess)])
    {
        let dir = try TemporaryDirectory()
        let requestLog = dir.file("requests.jsonl")
        let (trainer, url) = try await startTrainer(["--instant", "--request-log", requestLog])
        defer { trainer.signal(SIGTERM) }
        try Self.planText.write(toFile: dir.file("plan.yaml"), atomically: true, encoding: .utf8)
        let database = dir.file("c.sqlite")
        let arguments = ["collect", "--trainer-url", url, "--plan", dir.file("plan.yaml"), "--db", database,
                         "--time-scale", "0"]
        let armed = try ChildProcess.$extraEnvironment.withValue(Self.environment(crash.setting)) {
            try ChildProcess(arguments)
        }
        await Self.expectDiedAtPoint(armed, crash)
        if crash.point == .migration { try Self.expectNewestMigrationPending(database) }

        let rerun = try ChildProcess(arguments)
        #expect(await rerun.waitForExit(timeout: .seconds(180)) == 0, "rerun:\n\(rerun.text)")
        #expect(!rerun.text.contains("CRASH POINT"))
        let figures = try CollectionInvariants.check(
            database: database, plan: try PlanLoader.load(text: Self.planText),
            trainRequests: try CollectionInvariants.trainRequests(log: requestLog))
        return (figures, [("armed collect", armed), ("collect", rerun)])
    }

    private func distributedCase(_ crash: Case) async throws
        -> (CollectionInvariants.Figures, [(name: String, child: ChildProcess)])
    {
        let cluster = try await Cluster(agents: ["agent-1"], trainerArguments: ["--instant"])
        let planPath = try cluster.plan(Self.planText)
        let armed = Self.environment(crash.setting)
        // The agent runs one job at a time when it is the victim, so exactly one trainer answer dies with it.
        let slots = crash.victim == .agent ? 1 : 2
        var agents: [ChildProcess] = []
        defer { for agent in agents { agent.signal(SIGKILL) } }
        // Every child, for the story of a re-executed job.
        var children: [(name: String, child: ChildProcess)] = []
        let coordinator: ChildProcess
        switch (crash.victim, crash.point) {
        case (.coordinator, .migration):
            // Dies while opening the database, before it listens; then a normal start does the whole collection.
            let first = try ChildProcess.$extraEnvironment.withValue(armed) {
                try ChildProcess(Self.coordinatorArguments(cluster, plan: planPath))
            }
            await Self.expectDiedAtPoint(first, crash)
            children.append(("armed coordinator", first))
            try Self.expectNewestMigrationPending(cluster.database)
            let port: Int
            (coordinator, port) = try await cluster.startCoordinator(plan: planPath, extra: Cluster.scaledLease)
            agents.append(try cluster.startAgent("agent-1", port: port, slots: slots))
        case (.coordinator, _):
            let (first, port) = try await ChildProcess.$extraEnvironment.withValue(armed) {
                try await cluster.startCoordinator(plan: planPath, extra: Cluster.scaledLease)
            }
            agents.append(try cluster.startAgent("agent-1", port: port, slots: slots))
            await Self.expectDiedAtPoint(first, crash)
            children.append(("armed coordinator", first))
            (coordinator, _) = try await cluster.startCoordinator(
                plan: planPath, extra: Cluster.scaledLease + ["--listen", "127.0.0.1:\(port)"])
        case (.agent, _), (.collect, _):
            let port: Int
            (coordinator, port) = try await cluster.startCoordinator(plan: planPath, extra: Cluster.scaledLease)
            let victim = try ChildProcess.$extraEnvironment.withValue(armed) {
                try cluster.startAgent("agent-1", port: port, slots: slots)
            }
            agents.append(victim)
            await Self.expectDiedAtPoint(victim, crash)
            // The same agent again, with the outbox its predecessor left.
            agents.append(try cluster.startAgent("agent-1", port: port, slots: slots))
        }
        #expect(await coordinator.waitForExit(timeout: .seconds(300)) == 0, "coordinator:\n\(coordinator.text)")
        for agent in agents { _ = await agent.waitForExit(timeout: .seconds(60)) }
        #expect(!coordinator.text.contains("CRASH POINT"))
        children.append(("coordinator", coordinator))
        for (index, agent) in agents.enumerated() { children.append(("agent \(index + 1)", agent)) }
        let figures = try CollectionInvariants.check(
            database: cluster.database, plan: try PlanLoader.load(text: Self.planText),
            trainRequests: try cluster.trainRequests(), outboxes: [cluster.dir.file("agent-1.outbox")])
        return (figures, children)
    }

    /// `Cluster.startCoordinator`'s command line, for a start that is expected to die before it listens.
    static func coordinatorArguments(_ cluster: Cluster, plan: String) -> [String] {
        ["coordinator", "--listen", "127.0.0.1:0", "--db", cluster.database,
         "--cert", cluster.dir.file("certs/coordinator.pem"), "--key", cluster.dir.file("certs/coordinator-key.pem"),
         "--ca", cluster.dir.file("certs/ca.pem"), "--report-dir", cluster.reportDir, "--plan", plan]
    }

    @Test("MMMBENCH_CRASH_AT without MMMBENCH_CRASH_POINTS=1 is ignored with a warning; the run completes")
    func notOnByAccident() async throws {
        let dir = try TemporaryDirectory()
        let (trainer, url) = try await startTrainer(["--instant"])
        defer { trainer.signal(SIGTERM) }
        try Self.planText.write(toFile: dir.file("plan.yaml"), atomically: true, encoding: .utf8)
        let child = try ChildProcess.$extraEnvironment.withValue([CrashPoint.pointVariable: "commit-before-ack"]) {
            try ChildProcess(["collect", "--trainer-url", url, "--plan", dir.file("plan.yaml"),
                              "--db", dir.file("c.sqlite"), "--time-scale", "0"])
        }
        #expect(await child.waitForExit(timeout: .seconds(180)) == 0, "\(child.text)")
        #expect(child.text.contains("MMMBENCH_CRASH_AT=commit-before-ack ignored"), "\(child.text)")
        #expect(!child.text.contains("CRASH POINT"))
    }

    @Test("an enabled MMMBENCH_CRASH_AT naming no point is refused before anything runs, listing the points")
    func unknownPointRefused() async throws {
        let dir = try TemporaryDirectory()
        try Self.planText.write(toFile: dir.file("plan.yaml"), atomically: true, encoding: .utf8)
        let child = try ChildProcess.$extraEnvironment.withValue(Self.environment("commit-before-akc")) {
            try ChildProcess(["collect", "--trainer-url", "http://127.0.0.1:9", "--plan", dir.file("plan.yaml"),
                              "--db", dir.file("c.sqlite")])
        }
        #expect(await child.waitForExit(timeout: .seconds(60)) == 1, "\(child.text)")
        #expect(child.text.contains("MMMBENCH_CRASH_AT=commit-before-akc"), "\(child.text)")
        #expect(child.text.contains("agent-after-outbox"), "\(child.text)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("c.sqlite")))
    }
}
