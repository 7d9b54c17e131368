import BenchStore
import Foundation
import Prometheus
import Synchronization

/// The coordinator's `/metrics` in Prometheus text format (swift-prometheus), brought up to date from the database
/// at each scrape: counters grow by what was committed since the previous scrape, gauges are set, and each counted
/// result enters the trainer duration histogram of its job type exactly once (by result row id).
public final class StatusMetrics: Sendable {
    /// Seconds buckets of the trainer duration histogram: from sub-second demo jobs to the seed's 2 h timeout.
    public static let durationBuckets: [Double] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800,
                                                   3600, 7200]

    private let registry = PrometheusCollectorRegistry()
    private struct Seen {
        var lastResultID: Int64 = 0
        var counters: [String: Int] = [:]
    }
    private let seen = Mutex(Seen())

    public init() {}

    /// Brings every metric up to date and returns the exposition text.
    public func render(collectionID: String, store: BenchStore, agentsConnected: Int?) throws -> String {
        try seen.withLock { seen in
            let figures = try store.liveFigures(collectionID: collectionID, newResultsAfter: seen.lastResultID)
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
            for result in figures.newResults {
                registry.makeValueHistogram(
                    descriptor: Self.name("trainer_duration", "seconds",
                                          "Trainer request duration of counted results, by job type"),
                    labels: [("job_type", result.jobType), ("success", result.success ? "true" : "false")],
                    buckets: Self.durationBuckets
                ).record(result.durationSeconds)
                seen.lastResultID = max(seen.lastResultID, result.rowID)
            }
            return registry.emitToString()
        }
    }

    /// `mmmbench_<metric>[_<unit>]`.
    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "mmmbench", metricName: metric, unitName: unit, helpText: help)
    }

    private func advance(_ seen: inout Seen, _ name: String, _ help: String, _ value: Int) {
        let counter = registry.makeCounter(descriptor: Self.name(name, "total", help))
        let delta = value - (seen.counters[name] ?? 0)
        if delta > 0 { counter.increment(by: Int64(delta)) }
        seen.counters[name] = max(value, seen.counters[name] ?? 0)
    }
}
