import BenchCore
import Foundation
import Testing

/// What the HTML report of a large, long collection on many hosts must still show legibly (found on the 10^5-result
/// report of `mmmbench-bench html-report --process`): agents told apart, day labels that do not run into each
/// other, sampled points that do not line up in stripes.
@Suite("HTML report at scale")
struct HTMLReportScaleTests {
    typealias T = HTMLReportTests

    static func attempts(days: Int, agents: [String], perDay: Int = 1) -> [AttemptSpan] {
        var spans: [AttemptSpan] = []
        for day in 1...days {
            for index in 0..<perDay {
                let start = HTMLReportFixture.start.addingTimeInterval(Double(day - 1) * 86_400 + Double(index) * 30)
                let agent = agents[(day + index) % agents.count]
                spans.append(AttemptSpan(jobID: "baseline-\(day)-\(index)", attempt: 1, agent: agent, jobType: "small",
                                         day: day, start: start, end: start.addingTimeInterval(20),
                                         outcome: .succeeded))
            }
        }
        return spans
    }

    /// The texts of the SVG `<text class="CLASS" …>` elements in `markup`.
    static func texts(_ cssClass: String, in markup: some StringProtocol) throws -> [String] {
        let pattern = try Regex("<text class=\"\(cssClass)\"[^>]*>([^<]*)")
        return String(markup).matches(of: pattern).map { String($0.output[1].substring ?? "") }
    }

    @Test("agents sharing a domain are labelled by what tells them apart; the full name stays the tooltip")
    func laneLabelsWithoutCommonDomain() throws {
        var input = HTMLReportFixture.input()
        let agents = (1...12).map { "agent-\($0).example.internal" }
        input.attempts = Self.attempts(days: 2, agents: agents, perDay: 12)
        let timeline = try T.chart("timeline-chart", in: HTMLReport(input: input).render())
        let labels = try Self.texts("lane-label", in: timeline)
        #expect(Set(labels) == Set((1...12).map { "agent-\($0)" }), "\(labels)")
        #expect(timeline.contains("<title>agent-12.example.internal</title>"))

        input.attempts = Self.attempts(days: 1, agents: ["build-1.eu.example.org", "build-2.us.example.org"], perDay: 2)
        let mixed = try Self.texts("lane-label", in: try T.chart("timeline-chart", in: HTMLReport(input: input).render()))
        #expect(Set(mixed) == ["build-1.eu", "build-2.us"])
        input.attempts = Self.attempts(days: 1, agents: ["agent-1", "agent-2"], perDay: 2)
        let plain = try Self.texts("lane-label", in: try T.chart("timeline-chart", in: HTMLReport(input: input).render()))
        #expect(Set(plain) == ["agent-1", "agent-2"])
    }

    @Test("every day keeps its line; day labels are spaced so they do not overlap")
    func dayLabelsDoNotOverlap() throws {
        var input = HTMLReportFixture.input()
        input.attempts = Self.attempts(days: 120, agents: ["agent-1", "agent-2"])
        let timeline = try T.chart("timeline-chart", in: HTMLReport(input: input).render())
        #expect(T.occurrences(of: "<g class=\"day\">", in: timeline) == 120)
        let labels = try timeline.matches(of: try Regex(#"<text class="day-label" x="([0-9.]+)""#)).map {
            try #require(Double($0.output[1].substring ?? ""))
        }
        #expect(labels.count > 5 && labels.count < 120, "\(labels.count) labels")
        for (left, right) in zip(labels, labels.dropFirst()) {
            #expect(right - left >= 48, "labels at \(left) and \(right) overlap")
        }
    }

    @Test("the points of a sampled group are jittered without stripes")
    func sampledPointsNotStriped() throws {
        var input = HTMLReportFixture.input()
        let job = HTMLReportFixture.spec(0)
        input.report = BaselineReport(metrics: (0..<6000).map { index in
            .success(job: job, startedAt: HTMLReportFixture.start, durationMs: 400 + Double(index % 997),
                     httpStatus: 200, attempt: 1, agent: "agent-1", costModel: CostModel())
        }, plannedJobs: 6000)
        let boxes = try T.chart("box-job-type", in: HTMLReport(input: input).render())
        let xs = try boxes.matches(of: try Regex(#"<circle class="point" cx="([0-9.]+)""#)).map {
            try #require(Double($0.output[1].substring ?? ""))
        }
        #expect(xs.count == 600, "every 10th of 6000")
        // Stripes are points whose horizontal offsets step by a constant from one point to the next.
        let steps = Set(zip(xs, xs.dropFirst()).map { (($1 - $0) * 10).rounded() })
        #expect(steps.count > 100, "\(steps.count) distinct steps between neighbouring points")
    }
}
