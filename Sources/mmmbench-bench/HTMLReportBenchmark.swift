import ArgumentParser
import BenchCore
import Foundation

/// `mmmbench-bench html-report`: seconds and bytes of the HTML report of a large synthetic collection: rendered in
/// this process (default), or with `--process` as the user runs it, `mmmbench report --format html` (a release
/// binary) as a child process on a real database of `--results` results.
struct HTMLReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "html-report",
        abstract: "Seconds and bytes of baseline_report.html for a synthetic collection (goal: 10^5 results < 5 s, "
            + "< 10 MB)."
    )

    @Option(help: "Counted results (jobs) in the collection.")
    var results = 100_000

    @Option(help: "Agents the attempts are spread over.")
    var agents = 12

    @Option(help: "Write the report to this file to look at it.")
    var out: String?

    @Flag(help: "Time `mmmbench report --format html` as a child process on a real database (built if missing).")
    var process = false

    @Option(help: "With --process: the mmmbench binary to time (swift build -c release --product mmmbench).")
    var mmmbench = ".build/release/mmmbench"

    @Option(help: "With --process: the database to report on, built with --results results if missing (and kept).")
    var db: String?

    @Option(help: "With --process: how many times to run the report.")
    var runs = 3

    func validate() throws {
        guard results > 0, agents > 0 else { throw ValidationError("--results and --agents must be positive") }
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        if process && !FileManager.default.isExecutableFile(atPath: mmmbench) {
            let build = "swift build -c release --product mmmbench"
            throw ValidationError("--mmmbench \(mmmbench): no executable there; build it with `\(build)`")
        }
    }

    func run() async throws {
        if process {
            try await HTMLReportProcessBenchmark(mmmbench: mmmbench, database: db, results: results, agents: agents,
                                           runs: runs, out: out).run()
            return
        }
        let input = HTMLReportBenchmark.input(results: results, agents: agents)
        let clock = ContinuousClock()
        var html = ""
        let elapsed = clock.measure { html = HTMLReport(input: input).render() }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let bytes = html.utf8.count
        print(String(format: "html-report: %d results, %d attempts, %d agents: %.3f s, %d bytes (%.2f MB)",
                     results, input.attempts.count, agents, seconds, bytes, Double(bytes) / 1_000_000))
        if let out { try Data(html.utf8).write(to: URL(fileURLWithPath: out)) }
    }
}

/// The synthetic collection behind `mmmbench-bench html-report`: the seed's six job configs over as many days as it
/// takes, a day gap of 4 h, durations drawn around each type's mean, 3 % failed measurements and 1 % of jobs
/// re-dispatched after an expired attempt.
enum HTMLReportBenchmark {
    static func input(results: Int, agents: Int) -> HTMLReportInput {
        var random = SplitMix(seed: 42)
        let plan = Plan(days: max(1, (results + Plan().jobsPerDay - 1) / Plan().jobsPerDay))
        let jobs = plan.expandJobs().prefix(results)
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let meanMinutes = ["small": 12.0, "medium": 35.0, "large": 80.0]
        var metrics: [BaselineMetric] = []
        var attempts: [AttemptSpan] = []
        metrics.reserveCapacity(results)
        var agentFree = [Double](repeating: 0, count: agents)
        var dayStart = 0.0
        var currentDay = 1
        for job in jobs {
            if job.day != currentDay {
                dayStart = (agentFree.max() ?? 0) + 4 * 3600
                currentDay = job.day
                agentFree = agentFree.map { _ in dayStart }
            }
            let slot = agentFree.indices.min { agentFree[$0] < agentFree[$1] } ?? 0
            let agent = "agent-\(slot + 1).example.internal"
            var begin = max(agentFree[slot], dayStart)
            var attempt = 1
            if random.unit() < 0.01 {
                attempts.append(AttemptSpan(jobID: job.id, attempt: 1, agent: agent, jobType: job.jobType,
                                            day: job.day, start: start.addingTimeInterval(begin),
                                            end: start.addingTimeInterval(begin + 600), outcome: .expired))
                begin += 630
                attempt = 2
            }
            let minutes = (meanMinutes[job.jobType] ?? 20) * (0.8 + 0.4 * random.unit())
            let failed = random.unit() < 0.03
            let at = start.addingTimeInterval(begin)
            let metric: BaselineMetric = failed
                ? .failure(job: job, startedAt: at, durationMs: minutes * 60_000, httpStatus: 500, attempt: attempt,
                           agent: agent, error: "HTTP 500: trainer error")
                : .success(job: job, startedAt: at, durationMs: minutes * 60_000, httpStatus: 200, attempt: attempt,
                           agent: agent, costModel: CostModel(pricing: plan.pricing))
            metrics.append(metric)
            attempts.append(AttemptSpan(jobID: job.id, attempt: attempt, agent: agent, jobType: job.jobType,
                                        day: job.day, start: at, end: at.addingTimeInterval(minutes * 60),
                                        outcome: failed ? .failed : .succeeded))
            agentFree[slot] = begin + minutes * 60 + plan.jobGapSeconds
        }
        let end = start.addingTimeInterval(agentFree.max() ?? 0)
        return HTMLReportInput(
            collectionID: "c-benchmark", plan: plan, createdAt: start, completedAt: end,
            report: BaselineReport(metrics: metrics, plannedJobs: results), attempts: attempts, testSuites: [],
            generatedAt: end)
    }

    /// A small deterministic generator, so every run measures the same collection.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func unit() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
    }
}
