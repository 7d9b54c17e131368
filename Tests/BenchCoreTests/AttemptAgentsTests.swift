@testable import BenchCore
import Foundation
import Testing

/// The HTML page counts attempts per agent through ``AttemptAgents`` (one pass, each attempt's agent as an index):
/// the agents must come out sorted, each attempt mapped to its own agent, and the lanes hold every attempt once,
/// in order; outcome counts kept in arrays must index `allCases` in its order.
@Suite("HTML report: attempts per agent")
struct AttemptAgentsTests {
    static func span(_ job: Int, agent: String, outcome: AttemptSpan.Outcome = .succeeded) -> AttemptSpan {
        AttemptSpan(jobID: "job-\(job)", attempt: 1, agent: agent, jobType: "small", day: 1,
                    start: Date(timeIntervalSince1970: Double(job)), end: nil, outcome: outcome)
    }

    @Test("agents sorted, each attempt's agent by index, lanes in the attempts' order")
    func agents() {
        // First seen in an order unlike the sorted one, names that sort differently as bytes and as text.
        let names = ["node-b", "node-a", "é", "node-b", "e\u{301}x", "node-a", "node-c", "node-b"]
        let attempts = names.enumerated().map { Self.span($0.offset, agent: $0.element) }
        let agents = AttemptAgents(attempts)
        #expect(agents.names == Set(names).sorted())
        #expect(agents.agentOfAttempt.map { agents.names[$0] } == names)
        let lanes = agents.attemptsByAgent()
        #expect(lanes.count == agents.names.count)
        for (agent, lane) in zip(agents.names, lanes) {
            #expect(lane == names.indices.filter { names[$0] == agent })
        }
        #expect(AttemptAgents([]).names.isEmpty)
        #expect(AttemptAgents([]).attemptsByAgent().isEmpty)
    }

    @Test("an outcome's case index is its place in allCases")
    func caseIndex() {
        #expect(AttemptSpan.Outcome.allCases.map(\.caseIndex) == Array(AttemptSpan.Outcome.allCases.indices))
    }

    @Test("the hosts table, the timeline's summary and the cards count attempts per agent and outcome")
    func countsOnThePage() {
        let html = HTMLReport(input: HTMLReportFixture.input()).render()
        // The fixture: agent-1 runs the even jobs (two failed, one re-dispatched as attempt 2), agent-2 the odd
        // ones, the hostile agent the one expired attempt; its name sorts first (`"` before `-`).
        let hostile = "agent&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        let rows = [(hostile, 1, 0, 0, 1), ("agent-1", 7, 5, 2, 0), ("agent-2", 7, 7, 0, 0)].map { row in
            "<tr><td>\(row.0)</td><td class=\"num\">\(row.1)</td><td class=\"num\">\(row.2)</td>"
                + "<td class=\"num\">\(row.3)</td><td class=\"num\">\(row.4)</td>"
        }
        var searchFrom = html.startIndex
        for row in rows {
            guard let found = html.range(of: row, range: searchFrom..<html.endIndex) else {
                Issue.record("hosts row missing or out of order: \(row)")
                return
            }
            searchFrom = found.upperBound
        }
        #expect(html.contains("15 attempts (12 succeeded, 2 failed, 1 expired; 1 re-dispatches) on 3 agents."))
        #expect(html.contains("1 jobs re-dispatched"))
        #expect(html.contains("<div class=\"label\">Agents</div><div class=\"value\">3</div>"))
    }
}
