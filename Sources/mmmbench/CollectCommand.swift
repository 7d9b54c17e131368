import ArgumentParser
import BenchAgent
import BenchCore
import Foundation

/// `mmmbench collect`: run (or resume) a baseline collection from this host.
struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Run or resume a baseline collection against a trainer, from this host.",
        discussion: """
            Expands the plan into its job matrix (days x job configs x countries), runs each job with POST /train, \
            and commits every result to the SQLite database as it completes. Kill it at any moment (Ctrl-C or \
            SIGKILL) and run the same command again: done jobs are not rerun and no job is counted twice. A database \
            holding a collection with a different plan is refused unless --new is given.
            Exit status: 0 complete, 130 interrupted (run again to resume), 1 error.
            """
    )

    @Option(name: .customLong("trainer-url"),
            help: "Base URL of the trainer, e.g. http://127.0.0.1:8080 (not with a plan that names targets).")
    var trainerURL: String?

    @Option(help: "Plan file (YAML or JSON). Without it the seed's defaults are used.")
    var plan: String?

    @Option(help: "SQLite database of the collection (created if missing).")
    var db: String

    @Option(parsing: .unconditional, help: "Jobs run at once.")
    var concurrency: Int = 1

    @Option(name: .customLong("time-scale"), parsing: .unconditional,
            help: "Multiply the plan's job and day gaps by this factor (e.g. 0.001 for tests); 1 is real time.")
    var timeScale: Double = 1

    @Flag(help: "Start a new collection even if the database holds one with another plan.")
    var new = false

    func validate() throws {
        guard concurrency >= 1, concurrency <= 1024 else { throw ValidationError("--concurrency must be 1...1024") }
        guard timeScale >= 0, timeScale.isFinite else { throw ValidationError("--time-scale must be >= 0") }
        guard let trainerURL else { return }
        guard let url = URL(string: trainerURL), let scheme = url.scheme, ["http", "https"].contains(scheme),
              url.host != nil
        else { throw ValidationError("--trainer-url must be an http(s) URL, got '\(trainerURL)'") }
    }

    func run() async throws {
        try CrashPointArming.armFromEnvironment()
        let plan = try plan.map(PlanLoader.load(fileAt:)) ?? Plan()
        let trainerURL = try Self.trainerURL(trainerURL, plan: plan)
        let configuration = LocalCollectionConfiguration(
            trainerURL: trainerURL, databasePath: db, plan: plan, concurrency: concurrency, timeScale: timeScale,
            forceNew: new)
        let printer = ProgressPrinter()
        do {
            _ = try await SignalCancellation.run {
                try await LocalCollector(configuration: configuration).run(events: printer.handle)
            }
        } catch where SignalCancellation.wasInterrupted {
            printer.line("interrupted: every finished job is saved in \(db); run the same command to resume")
            throw ExitCode(130)
        }
        print("reports: mmmbench report --db \(db) --out DIR")
    }
}
