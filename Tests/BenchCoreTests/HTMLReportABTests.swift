import BenchCore
import Foundation
import Testing

/// The HTML report of an A/B collection shows both sides and the candidate judged against the baseline.
@Suite("HTML report of an A/B collection")
struct HTMLReportABTests {
    typealias F = ComparisonFixtures
    typealias T = ComparisonHTMLTests

    /// Three days of the seed's matrix on each side, the candidate twice as fast with one failure.
    static func input() throws -> HTMLReportInput {
        let jobs = F.jobs()
        let baseline = F.side(jobs, scale: 1, seed: 1, target: "baseline")
        let candidate = F.side(jobs, scale: 0.5, seed: 2, failing: [4], target: "candidate")
        var plan = Plan(days: 3)
        plan.targets = PlanTargets(baseline: "http://127.0.0.1:8080", candidate: "http://127.0.0.1:8081")
        var input = HTMLReportInput(
            collectionID: "c-ab", plan: plan, createdAt: HTMLReportFixture.start, completedAt: nil,
            report: BaselineReport(metrics: baseline, plannedJobs: jobs.count), attempts: [], testSuites: [],
            generatedAt: HTMLReportFixture.start.addingTimeInterval(7200))
        input.candidate = BaselineReport(metrics: candidate, plannedJobs: jobs.count)
        input.comparison = try Comparison.compare(ComparisonInput(
            baseline: ComparisonSide(label: "c-ab (baseline)", metrics: baseline),
            candidate: ComparisonSide(label: "c-ab (candidate)", metrics: candidate), fromABCollection: true))
        input.versions = [("Database schema", "v9-ab-targets")]
        return input
    }

    @Test("a baseline and a candidate box per job type, side by side, every successful job of both a point")
    func pairedBoxes() throws {
        let input = try Self.input()
        let html = HTMLReport(input: input).render()
        let boxes = try T.chart("box-job-type", in: html)
        let types = Set(input.report.successful.map(\.jobType))
        #expect(T.occurrences(of: "<rect class=\"box\"", in: boxes) == 2 * types.count)
        #expect(T.occurrences(of: "<g class=\"group baseline\"", in: boxes) == types.count)
        #expect(T.occurrences(of: "<g class=\"group candidate\"", in: boxes) == types.count)
        let successful = input.report.successful.count + (input.candidate?.successful.count ?? 0)
        #expect(T.occurrences(of: "<circle class=\"point", in: boxes) == successful)
        // Each job type's baseline box is followed by its candidate box.
        for type in types {
            let base = try #require(boxes.range(of: "<g class=\"group baseline\" data-label=\"\(type)\""))
            let cand = try #require(boxes.range(of: "<g class=\"group candidate\" data-label=\"\(type)\""))
            #expect(base.lowerBound < cand.lowerBound)
            #expect(!boxes[base.upperBound..<cand.lowerBound].contains("<g class=\"group"), "\(type) paired")
        }
        let costs = try T.chart("bar-cost", in: html)
        #expect(T.occurrences(of: "<rect class=\"bar\"", in: costs) == 2 * types.count)
        #expect(costs.contains(">small (candidate)</text>"))
        let countries = Set(input.report.successful.map(\.country))
        #expect(T.occurrences(of: "<rect class=\"box\"", in: try T.chart("box-country", in: html))
            == 2 * countries.count)
    }

    @Test("the candidate's verdict and forest plot are embedded; the headline has both sides")
    func embeddedComparison() throws {
        let input = try Self.input()
        let comparison = try #require(input.comparison)
        let html = HTMLReport(input: input).render()
        let section = try #require(html.range(of: "<section id=\"ab-comparison\""))
        #expect(html[section.upperBound...].contains(
            "<div id=\"verdict\" class=\"verdict \(comparison.verdict.rawValue)\">"))
        for id in ["ab-forest-duration", "ab-forest-success", "ab-forest-cost"] {
            let chart = try T.chart(id, in: html)
            #expect(T.occurrences(of: "<g class=\"row ", in: chart) == 4, "\(id): overall and three job types")
        }
        #expect(html.contains(">Baseline Successful</div><div class=\"value\">27</div>"))
        #expect(html.contains(">Candidate successful</div><div class=\"value\">26</div>"))
        #expect(html.contains("<dt>Candidate trainer</dt><dd>http://127.0.0.1:8081</dd>"))
        #expect(html.contains("<dt>Database schema</dt><dd>v9-ab-targets</dd>"))
        #expect(SelfContainedHTML.violations(html).isEmpty, "\(SelfContainedHTML.violations(html))")
    }

    @Test("a one-target collection has no comparison section and one box per job type")
    func oneTarget() throws {
        let html = HTMLReport(input: HTMLReportFixture.input()).render()
        #expect(!html.contains("id=\"ab-comparison\""))
        #expect(!html.contains("class=\"group baseline\""))
        #expect(!html.contains(">Baseline Successful<"))
    }
}
