import BenchCore
import Foundation
import Testing

@Suite("Plan: targets of an A/B collection")
struct PlanTargetsTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The first YAML block after `heading` in docs/plan.md.
    static func documentedPlan(after heading: String) throws -> String {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/plan.md"), encoding: .utf8)
        let section = try #require(text.range(of: heading))
        let rest = text[section.upperBound...]
        let start = try #require(rest.range(of: "```yaml\n"))
        let end = try #require(rest[start.upperBound...].range(of: "```"))
        return String(rest[start.upperBound..<end.lowerBound])
    }

    @Test("docs/plan.md's A/B example: 2 jobs, 4 measurements, ABBA order, both URLs")
    func documentedExample() throws {
        let plan = try PlanLoader.load(text: try Self.documentedPlan(after: "## A/B collections"))
        #expect(plan.targets == PlanTargets(baseline: "http://127.0.0.1:8080", candidate: "http://127.0.0.1:8081"))
        let tasks = plan.expandTasks()
        #expect(plan.expandJobs().count == 2 && tasks.count == 4)
        #expect(tasks.map(\.id) == ["baseline-1-1-fr", "baseline-1-1-fr", "baseline-1-1-de", "baseline-1-1-de"])
        #expect(tasks.map(\.target) == ["baseline", "candidate", "candidate", "baseline"])
        #expect(tasks.map(\.ordinal) == [0, 1, 2, 3])
        #expect(Set(tasks.map(\.taskID)).count == 4)
    }

    @Test("ABBA over the whole matrix: job k starts with the baseline when k is even")
    func abbaOrder() throws {
        var plan = Plan(days: 2)
        plan.targets = PlanTargets(baseline: "http://a:1", candidate: "http://b:2")
        let jobs = plan.expandJobs()
        let tasks = plan.expandTasks()
        #expect(tasks.count == 2 * jobs.count)
        for (k, job) in jobs.enumerated() {
            let pair = Array(tasks[(2 * k)...(2 * k + 1)])
            #expect(pair.map(\.id) == [job.id, job.id])
            #expect(pair.map(\.target) == (k.isMultiple(of: 2) ? ["baseline", "candidate"] : ["candidate", "baseline"]))
        }
    }

    @Test("without targets: same jobs, no target, canonical JSON without a targets key")
    func absentTargetsChangeNothing() throws {
        let plan = try PlanLoader.load(text: "days: 2")
        #expect(plan.targets == nil)
        #expect(plan.expandTasks() == plan.expandJobs())
        #expect(plan.expandTasks().allSatisfy { $0.target == nil && $0.taskID == $0.id })
        #expect(!plan.canonicalJSON().contains("targets"))
        #expect(plan.canonicalJSON() == Plan(days: 2).canonicalJSON())
    }

    @Test("targets survive the canonical JSON round trip; a changed URL is a different plan")
    func canonicalRoundTrip() throws {
        let plan = try PlanLoader.load(text: "targets: {baseline: 'http://h:1', candidate: 'https://h:2/api'}")
        let restored = try Plan.fromCanonicalJSON(plan.canonicalJSON())
        #expect(restored == plan)
        var other = plan
        other.targets?.candidate = "https://h:3/api"
        #expect(other != plan)
        #expect(PlanDifference.describe(stored: plan, requested: other).contains("targets"))
    }

    @Test("targets given as flags are checked by the plan's rule")
    func validatedFromFlags() throws {
        #expect(try PlanTargets.validated(baseline: "http://a:1", candidate: "https://b/x")
                == PlanTargets(baseline: "http://a:1", candidate: "https://b/x"))
        let error = try #require(throws: PlanError.self) {
            try PlanTargets.validated(baseline: "http://a:1", candidate: "b:2")
        }
        #expect(error.path == "targets.candidate")
    }

    @Test("bad targets are refused with their path", arguments: [
        ("targets: {baseline: 'http://a:1'}", "targets.candidate"),
        ("targets: {baseline: 'http://a:1', candidate: 'http://b:2', canary: 'http://c:3'}", "targets.canary"),
        ("targets: {baseline: 'ftp://a:1', candidate: 'http://b:2'}", "targets.baseline"),
        ("targets: {baseline: 'http://a:1', candidate: 'b:2'}", "targets.candidate"),
        ("targets: {baseline: 'http://a:1', candidate: 'http://b:2/x?y=1'}", "targets.candidate"),
        ("targets: {baseline: 'http://a:1', candidate: 7}", "targets.candidate"),
        ("targets: [http://a:1, http://b:2]", "targets"),
        ("targets:", "targets"),
    ])
    func refused(text: String, path: String) throws {
        let error = try #require(throws: PlanError.self) { try PlanLoader.load(text: text) }
        #expect(error.path == path, "\(error)")
    }
}
