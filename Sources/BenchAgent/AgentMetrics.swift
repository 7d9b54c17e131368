import BenchJSON
import BenchProtocol
import BenchWire
import NIOConcurrencyHelpers
import Prometheus

/// The agent's own `/metrics` (`mmmbench agent --http`), in Prometheus text format (swift-prometheus), updated at
/// the event: ``observe(_:)`` takes every ``AgentEvent``, the attempt runner records each trainer call, and
/// ``traffic`` counts the bytes of the coordinator connection at its socket.
///
/// Metrics (prefix `mmmbench_agent_`): `attempts_started_total`, `attempts_finished_total{success}`,
/// `results_sent_total`, `results_acked_total{status}`, `outbox_depth`, `trainer_duration_seconds{job_type,success}`
/// (histogram), `trainer_reachable`, `connected`, `wire_received_bytes_total`, `wire_sent_bytes_total`.
public final class AgentMetrics: Sendable {
    /// Bytes on the connection to the coordinator; the agent sets it as its wire configuration's counter.
    public let traffic = WireTrafficCounter()
    private let registry = PrometheusCollectorRegistry()
    private struct State {
        var outboxDepth = 0
        var bytes: (in: Int, out: Int) = (0, 0)
    }
    private let state = NIOLockedValueBox(State())
    private let outboxDepth: Gauge
    private let trainerReachable: Gauge
    private let connected: Gauge

    public init() {
        outboxDepth = registry.makeGauge(descriptor: Self.name("outbox_depth", "",
                                                               "Results in the outbox not yet acknowledged"))
        trainerReachable = registry.makeGauge(descriptor: Self.name(
            "trainer_reachable", "", "1 while the trainer answers (or no trainer is used), 0 while it cannot be "
                + "reached"))
        connected = registry.makeGauge(descriptor: Self.name("connected", "",
                                                             "1 while a session with the coordinator is up"))
        trainerReachable.set(1.0)
        // Present from the first scrape, with zero values.
        for success in ["true", "false"] { _ = attemptsFinished(success: success) }
        _ = attemptsStarted()
        _ = resultsSent()
        for status in AckStatus.allCases { _ = resultsAcked(status) }
    }

    /// The outbox held `count` unacknowledged results when the agent opened it.
    public func outboxOpened(unacknowledged count: Int) {
        adjustOutboxDepth { $0 = count }
    }

    /// Counts an agent event.
    public func observe(_ event: AgentEvent) {
        switch event {
        case .attemptStarted:
            attemptsStarted().increment()
        case .attemptFinished(_, let success):
            attemptsFinished(success: success ? "true" : "false").increment()
            adjustOutboxDepth { $0 += 1 }
        case .resultsSent(let tasks):
            resultsSent().increment(by: Int64(tasks.count))
        case .acknowledged(_, let status):
            resultsAcked(status).increment()
            adjustOutboxDepth { $0 = max(0, $0 - 1) }
        case .trainerUnreachable:
            trainerReachable.set(0.0)
        case .trainerReachable:
            trainerReachable.set(1.0)
        case .connected:
            connected.set(1.0)
        case .disconnected, .rejected, .drained:
            connected.set(0.0)
        case .reconnecting, .attemptCancelled, .resultsHeldBack, .refusedResultsKept, .draining:
            break
        }
    }

    /// A trainer call of a `train` attempt took `seconds` (the measurement's duration).
    func trainerCall(jobType: String, success: Bool, seconds: Double) {
        registry.makeValueHistogram(
            descriptor: Self.name("trainer_duration", "seconds", "Trainer request duration of train attempts"),
            labels: [("job_type", jobType), ("success", success ? "true" : "false")],
            buckets: Self.durationBuckets
        ).record(seconds)
    }

    /// The exposition text (wire byte counters brought up to date first).
    public func render() -> String {
        state.withLockedValue { state in
            let bytes = (in: traffic.bytesIn, out: traffic.bytesOut)
            registry.makeCounter(descriptor: Self.name("wire_received_bytes", "total",
                                                       "Bytes received from the coordinator (TLS records)"))
                .increment(by: Int64(max(0, bytes.in - state.bytes.in)))
            registry.makeCounter(descriptor: Self.name("wire_sent_bytes", "total",
                                                       "Bytes sent to the coordinator (TLS records)"))
                .increment(by: Int64(max(0, bytes.out - state.bytes.out)))
            state.bytes = (max(bytes.in, state.bytes.in), max(bytes.out, state.bytes.out))
            return registry.emitToString()
        }
    }

    /// Seconds buckets of the trainer duration histogram (as the coordinator's).
    public static let durationBuckets: [Double] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800,
                                                   3600, 7200]

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "mmmbench_agent", metricName: metric, unitName: unit, helpText: help)
    }

    /// Changes the depth and sets the gauge under one lock, so that concurrent events cannot leave it stale.
    private func adjustOutboxDepth(_ change: (inout Int) -> Void) {
        state.withLockedValue { state in
            change(&state.outboxDepth)
            outboxDepth.set(Double(state.outboxDepth))
        }
    }

    private func attemptsStarted() -> Counter {
        registry.makeCounter(descriptor: Self.name("attempts_started", "total", "Attempts that began executing"))
    }

    private func attemptsFinished(success: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("attempts_finished", "total",
                                                   "Attempts whose result is stored in the outbox"),
                             labels: [("success", success)])
    }

    private func resultsSent() -> Counter {
        registry.makeCounter(descriptor: Self.name("results_sent", "total", "Results sent to the coordinator"))
    }

    private func resultsAcked(_ status: AckStatus) -> Counter {
        registry.makeCounter(descriptor: Self.name("results_acked", "total", "Results acknowledged by the coordinator"),
                             labels: [("status", status.rawValue)])
    }
}
