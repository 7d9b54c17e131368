import BenchAgent
import BenchJSON
import BenchProtocol
import BenchWire
import Testing

/// `agent --http`'s /metrics: what each agent event does to the figures.
@Suite("Agent metrics")
struct AgentMetricsTests {
    /// The value of the sample written exactly as `key`.
    static func value(_ text: String, _ key: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(key + " ") {
            return Double(line.dropFirst(key.count + 1))
        }
        return nil
    }

    @Test("outbox depth follows stored and acknowledged results; reachability, connection and counters follow events")
    func eventsMoveTheFigures() {
        let metrics = AgentMetrics()
        let task = TaskRef(taskID: "baseline-1-1-us", attempt: 1)
        let fresh = metrics.render()
        #expect(Self.value(fresh, "mmmbench_agent_outbox_depth") == 0)
        #expect(Self.value(fresh, "mmmbench_agent_trainer_reachable") == 1)
        #expect(Self.value(fresh, "mmmbench_agent_connected") == 0)
        #expect(Self.value(fresh, #"mmmbench_agent_results_acked_total{status="refused"}"#) == 0)

        metrics.outboxOpened(unacknowledged: 2)
        metrics.observe(.connected(coordinator: "127.0.0.1:7443", collectionID: "c-1", reattached: [], cancelled: []))
        metrics.observe(.attemptStarted(task))
        metrics.observe(.attemptFinished(task, success: false))
        metrics.observe(.resultsSent([task, task]))
        metrics.observe(.acknowledged(task, .committed))
        metrics.observe(.acknowledged(task, .duplicate))
        metrics.observe(.trainerUnreachable(reason: "connection refused"))
        let text = metrics.render()
        #expect(Self.value(text, "mmmbench_agent_outbox_depth") == 1)
        #expect(Self.value(text, "mmmbench_agent_attempts_started_total") == 1)
        #expect(Self.value(text, #"mmmbench_agent_attempts_finished_total{success="false"}"#) == 1)
        #expect(Self.value(text, #"mmmbench_agent_attempts_finished_total{success="true"}"#) == 0)
        #expect(Self.value(text, "mmmbench_agent_results_sent_total") == 2)
        #expect(Self.value(text, #"mmmbench_agent_results_acked_total{status="committed"}"#) == 1)
        #expect(Self.value(text, #"mmmbench_agent_results_acked_total{status="duplicate"}"#) == 1)
        #expect(Self.value(text, "mmmbench_agent_trainer_reachable") == 0)
        #expect(Self.value(text, "mmmbench_agent_connected") == 1)

        metrics.observe(.acknowledged(task, .stale))
        metrics.observe(.acknowledged(task, .refused))
        metrics.observe(.trainerReachable)
        metrics.observe(.disconnected(reason: "bye"))
        let later = metrics.render()
        #expect(Self.value(later, "mmmbench_agent_outbox_depth") == 0, "never below zero")
        #expect(Self.value(later, "mmmbench_agent_trainer_reachable") == 1)
        #expect(Self.value(later, "mmmbench_agent_connected") == 0)
    }
}
