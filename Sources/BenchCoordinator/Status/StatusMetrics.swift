import BenchJSON
import BenchProtocol
import BenchStore
import BenchWire
import Foundation
import NIOConcurrencyHelpers
import Prometheus

/// The coordinator's `/metrics` in Prometheus text format (swift-prometheus).
///
/// Two kinds of figures:
/// - updated at the event by the coordinator that holds this object (``CoordinatorConfiguration/metrics``): the
///   commit latency and trainer duration histograms (fed by the store writer when a transaction that records
///   results commits; the trainer histogram is seeded with the collection's earlier results at start, so it covers
///   every counted result, as the database does), and the wire bytes (``traffic``, counted at the socket);
/// - read from the database at each scrape (a read snapshot, as `mmmbench status` reads it): jobs by state, and the
///   counters of attempts, re-dispatches and results, which therefore agree with the database exactly, also across
///   a coordinator restart (a counter grows by what was committed since the previous scrape).
public final class StatusMetrics: Sendable {
    /// Seconds buckets of the trainer duration histogram: from sub-second demo jobs to the seed's 2 h timeout.
    public static let durationBuckets: [Double] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800,
                                                   3600, 7200]
    /// Seconds buckets of the commit latency histogram: an SQLite transaction with an fsync, 0.1 ms to 5 s.
    public static let commitBuckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                 0.1, 0.25, 0.5, 1, 2.5, 5]

    /// Bytes on the agents' connections; the coordinator sets it as its wire configuration's counter.
    public let traffic = WireTrafficCounter()
    private let registry = PrometheusCollectorRegistry()
    private struct Seen {
        var counters: [String: Int] = [:]
        var bytes: (in: Int, out: Int) = (0, 0)
    }
    private let seen = NIOLockedValueBox(Seen())

    public init() {
        // Present from the first scrape (with zero observations) so that dashboards and alerts find them.
        _ = commitLatency()
    }

    /// Records every counted result already in the database (call once, before the coordinator commits anything).
    public func seed(store: BenchStore, collectionID: String) throws {
        for result in try store.liveFigures(collectionID: collectionID).newResults {
            trainerDuration(jobType: result.jobType, success: result.success).record(result.durationSeconds)
        }
    }

    /// A transaction that recorded `results` committed in `seconds`: one commit latency observation per result,
    /// and the trainer duration of each result the database counted.
    func committed(_ results: [ResultSubmission], outcomes: [RecordOutcome], seconds: Double) {
        guard !results.isEmpty else { return }
        let latency = commitLatency()
        for (submission, outcome) in zip(results, outcomes) {
            latency.record(seconds)
            guard case .committed = outcome else { continue }
            trainerDuration(jobType: submission.metric.jobType, success: submission.metric.success)
                .record(submission.metric.durationMs / 1000)
        }
    }

    /// Brings the database figures up to date and returns the exposition text.
    public func render(collectionID: String, store: BenchStore, agentsConnected: Int?) throws -> String {
        try seen.withLockedValue { seen in
            let figures = try store.liveFigures(collectionID: collectionID, newResultsAfter: .max)
            for (state, count) in figures.jobsByState {
                registry.makeGauge(descriptor: Self.name("jobs", "", "Jobs of the collection by state"),
                                   labels: [("state", state)]).set(Double(count))
            }
            advance(&seen, "attempts", "Attempts assigned", figures.attempts)
            advance(&seen, "redispatches", "Attempts after the first of their job", figures.redispatches)
            advance(&seen, "results_committed", "Results committed and counted", figures.resultsCounted)
            advance(&seen, "results_stale", "Late results kept for audit only", figures.staleResults)
            if let agentsConnected {
                registry.makeGauge(descriptor: Self.name("agents_connected", "", "Agents connected now"))
                    .set(Double(agentsConnected))
            }
            let inFlight = figures.inFlightByAgent
            for agent in Set(inFlight.keys).union(figures.lastActivityByAgent.keys) {
                registry.makeGauge(descriptor: Self.name("in_flight", "", "Attempts assigned to an agent now"),
                                   labels: [("agent", agent)]).set(Double(inFlight[agent] ?? 0))
            }
            let bytes = (in: traffic.bytesIn, out: traffic.bytesOut)
            registry.makeCounter(descriptor: Self.name("wire_received_bytes", "total",
                                                       "Bytes received on agent connections (TLS records)"))
                .increment(by: Int64(max(0, bytes.in - seen.bytes.in)))
            registry.makeCounter(descriptor: Self.name("wire_sent_bytes", "total",
                                                       "Bytes sent on agent connections (TLS records)"))
                .increment(by: Int64(max(0, bytes.out - seen.bytes.out)))
            seen.bytes = (max(bytes.in, seen.bytes.in), max(bytes.out, seen.bytes.out))
            return registry.emitToString()
        }
    }

    /// `mmmbench_<metric>[_<unit>]`.
    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "mmmbench", metricName: metric, unitName: unit, helpText: help)
    }

    private func commitLatency() -> ValueHistogram {
        registry.makeValueHistogram(
            descriptor: Self.name("commit_latency", "seconds",
                                  "Duration of the database transaction that committed a result (one per result)"),
            buckets: Self.commitBuckets)
    }

    private func trainerDuration(jobType: String, success: Bool) -> ValueHistogram {
        registry.makeValueHistogram(
            descriptor: Self.name("trainer_duration", "seconds",
                                  "Trainer request duration of counted results, by job type"),
            labels: [("job_type", jobType), ("success", success ? "true" : "false")],
            buckets: Self.durationBuckets)
    }

    private func advance(_ seen: inout Seen, _ name: String, _ help: String, _ value: Int) {
        let counter = registry.makeCounter(descriptor: Self.name(name, "total", help))
        let delta = value - (seen.counters[name] ?? 0)
        if delta > 0 { counter.increment(by: Int64(delta)) }
        seen.counters[name] = max(value, seen.counters[name] ?? 0)
    }
}
