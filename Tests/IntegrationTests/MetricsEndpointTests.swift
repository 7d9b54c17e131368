import BenchCore
import BenchStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestTiming

/// `/metrics` of a real coordinator and a real agent (`--http`), and their `--log-format json` output, during a
/// collection (held in its day gap), and after every job is done (held by an after-suite that waits for a second
/// agent) under a restarted coordinator: the figures agree with the database, promtool accepts the text, and every
/// output line is a JSON object, with job, attempt and agent on the lines about a job.
@Suite("Metrics endpoints and JSON logs", .serialized)
struct MetricsEndpointTests {
    static func listeningPort(_ child: ChildProcess, _ prefix: String) async throws -> Int {
        let line = try #require(await child.waitForLine(timeout: .seconds(60)) { $0.contains(prefix) },
                                "no '\(prefix)' line:\n\(child.text)")
        let range = try #require(line.range(of: prefix))
        return try #require(Int(line[range.upperBound...].prefix { $0.isNumber }))
    }

    static func metrics(_ port: Int) async throws -> (PrometheusText, String) {
        let (text, _) = try await StatusEndpointTests.get(port, "/metrics")
        return (try PrometheusText(text), text)
    }

    /// The coordinator's /metrics once its progress tick has seen the agent (`mmmbench_agents_connected` 1).
    static func coordinatorMetrics(_ port: Int) async throws -> (PrometheusText, String) {
        let deadline = ContinuousClock.now + TestTiming.scaled(.seconds(60))
        while true {
            let scraped = try await metrics(port)
            if scraped.0.value("mmmbench_agents_connected") == 1 || ContinuousClock.now > deadline { return scraped }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The database's figures that /metrics must show exactly.
    struct DatabaseFigures {
        let done: Int
        let pending: Int
        let counted: [BaselineMetric]
        let attempts: Int
        let redispatches: Int

        init(_ cluster: Cluster) throws {
            let store = try cluster.store()
            let collection = try #require(try store.currentCollection())
            let status = try store.status(collectionID: collection.id)
            done = status.done
            pending = status.pending
            counted = try store.countedMetrics(collectionID: collection.id)
            let spans = try store.attemptSpans(collectionID: collection.id)
            attempts = spans.count
            redispatches = spans.filter { $0.attempt > 1 }.count
        }
    }

    static func expectAgreement(_ parsed: PrometheusText, _ db: DatabaseFigures, _ when: String) {
        #expect(parsed.value(#"mmmbench_jobs{state="done"}"#) == Double(db.done), "\(when): done")
        #expect(parsed.value(#"mmmbench_jobs{state="pending"}"#) == Double(db.pending), "\(when): pending")
        #expect(parsed.value("mmmbench_results_committed_total") == Double(db.counted.count), "\(when): results")
        #expect(parsed.value("mmmbench_attempts_total") == Double(db.attempts), "\(when): attempts")
        #expect(parsed.value("mmmbench_redispatches_total") == Double(db.redispatches), "\(when): re-dispatches")
        #expect(parsed.sum("mmmbench_trainer_duration_seconds_count") == Double(db.counted.count),
                "\(when): trainer duration observations")
        for (jobType, rows) in Dictionary(grouping: db.counted, by: \.jobType) {
            for success in [true, false] {
                let expected = rows.filter { $0.success == success }.count
                let labels = [#"job_type="\#(jobType)""#, #"success="\#(success)""#]
                #expect(parsed.sum("mmmbench_trainer_duration_seconds_count", containing: labels) == Double(expected),
                        "\(when): \(jobType) success=\(success)")
            }
        }
        #expect(parsed.value(#"mmmbench_in_flight{agent="agent-1"}"#) == 0, "\(when): in flight")
        #expect(parsed.value("mmmbench_agents_connected") == 1, "\(when): agents connected")
        #expect((parsed.value("mmmbench_wire_received_bytes_total") ?? 0) > 0, "\(when): bytes in")
        #expect((parsed.value("mmmbench_wire_sent_bytes_total") ?? 0) > 0, "\(when): bytes out")
    }

    /// Every line parses as a JSON object with the fixed keys; returns the objects.
    static func jsonLines(_ child: ChildProcess, _ name: String) throws -> [[String: Any]] {
        var objects: [[String: Any]] = []
        for line in child.lines where !line.isEmpty {
            let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            guard let object, ["timestamp", "level", "label", "message"].allSatisfy({ object[$0] != nil }) else {
                Issue.record("\(name): not a JSON log object: \(line)")
                continue
            }
            objects.append(object)
        }
        return objects
    }

    @Test("coordinator and agent /metrics agree with the database in a day gap and after a restart; JSON logs")
    func metricsAgreeWithDatabase() async throws {
        let cluster = try await Cluster(agents: ["agent-1"],
                                        trainerArguments: ["--work-scale", "0.02", "--fault", "train-error-every=4"])
        // Day 2 waits 90 s at --time-scale 0.01; the after-suite waits for a second agent that never comes.
        let plan = try cluster.plan("""
            days: 2
            job_gap_seconds: 0
            day_gap_seconds: 9000
            checks:
              run: after
              disabled: [performance_benchmark, resource_allocation, cost_efficiency, rollback]
            """)
        let held = ["--http", "127.0.0.1:0", "--log-format", "json", "--check-min-agents", "2",
                    "--check-target", cluster.trainerURL]
        let (first, port) = try await cluster.startCoordinator(plan: plan, extra: ["--time-scale", "0.01"] + held)
        defer { first.signal(SIGTERM) }
        let statusPort = try await Self.listeningPort(first, "status page listening on http://127.0.0.1:")
        let agent = try cluster.startAgent("agent-1", port: port,
                                           extra: ["--http", "127.0.0.1:0", "--log-format", "json"])
        defer { agent.signal(SIGTERM) }
        let agentPort = try await Self.listeningPort(agent, "metrics listening on http://127.0.0.1:")

        // During: day 1 done, nothing moves until day 2.
        _ = try await DistributedCollectionTests.waitForStatus(cluster) { $0.done == 9 && $0.assigned == 0 }
        let during = try DatabaseFigures(cluster)
        #expect(during.counted.contains { !$0.success }, "the trainer's fault should fail a job of day 1")
        let (coordinatorMetrics, coordinatorText) = try await Self.coordinatorMetrics(statusPort)
        Self.expectAgreement(coordinatorMetrics, during, "day gap")
        #expect(coordinatorMetrics.types["mmmbench_commit_latency_seconds"] == "histogram")
        #expect((coordinatorMetrics.value("mmmbench_commit_latency_seconds_count") ?? 0) >= Double(during.counted.count))
        try Promtool.check(coordinatorText, what: "the coordinator's /metrics")
        let documented = try OperationsDocs.metricTable("### Live status: `--http`")
        let coordinatorDifference = "only documented "
            + "\(documented.filter { coordinatorMetrics.types[$0.key] != $0.value }), only served "
            + "\(coordinatorMetrics.types.filter { documented[$0.key] != $0.value })"
        #expect(documented == coordinatorMetrics.types,
                "docs/operations.md's coordinator metrics and /metrics: \(coordinatorDifference)")

        let (agentMetrics, agentText) = try await Self.metrics(agentPort)
        try Promtool.check(agentText, what: "the agent's /metrics")
        let agentDocumented = try OperationsDocs.metricTable("### The agent's `/metrics`: `--http`")
        let agentDifference = "only documented "
            + "\(agentDocumented.filter { agentMetrics.types[$0.key] != $0.value }), only served "
            + "\(agentMetrics.types.filter { agentDocumented[$0.key] != $0.value })"
        #expect(agentDocumented == agentMetrics.types,
                "docs/operations.md's agent metrics and /metrics: \(agentDifference)")
        let failed = during.counted.filter { !$0.success }.count
        #expect(agentMetrics.value("mmmbench_agent_attempts_started_total") == Double(during.attempts))
        #expect(agentMetrics.value(#"mmmbench_agent_attempts_finished_total{success="false"}"#) == Double(failed))
        #expect(agentMetrics.value(#"mmmbench_agent_attempts_finished_total{success="true"}"#)
            == Double(during.counted.count - failed))
        #expect(agentMetrics.value("mmmbench_agent_results_sent_total") == Double(during.counted.count))
        #expect(agentMetrics.value(#"mmmbench_agent_results_acked_total{status="committed"}"#)
            == Double(during.counted.count))
        #expect(agentMetrics.sum("mmmbench_agent_trainer_duration_seconds_count") == Double(during.counted.count))
        #expect(agentMetrics.value("mmmbench_agent_outbox_depth") == 0)
        #expect(agentMetrics.value("mmmbench_agent_trainer_reachable") == 1)
        #expect(agentMetrics.value("mmmbench_agent_connected") == 1)
        #expect((agentMetrics.value("mmmbench_agent_wire_sent_bytes_total") ?? 0) > 0)
        #expect((agentMetrics.value("mmmbench_agent_wire_received_bytes_total") ?? 0) > 0)

        // After: a new coordinator (day gap shortened to 0.9 s) finishes day 2 with the same agent.
        first.signal(SIGTERM)
        #expect(await first.waitForExit(timeout: .seconds(60)) == 130, "first coordinator:\n\(first.text)")
        let (second, _) = try await cluster.startCoordinator(plan: plan, extra: ["--time-scale", "0.0001"] + held,
                                                             port: port)
        defer { second.signal(SIGTERM) }
        let secondStatusPort = try await Self.listeningPort(second, "status page listening on http://127.0.0.1:")
        _ = try await DistributedCollectionTests.waitForStatus(cluster) { $0.done == 18 && $0.assigned == 0 }
        let after = try DatabaseFigures(cluster)
        let (afterMetrics, afterText) = try await Self.coordinatorMetrics(secondStatusPort)
        Self.expectAgreement(afterMetrics, after, "after every job")
        try Promtool.check(afterText, what: "the restarted coordinator's /metrics")

        // JSON logs: every line of every process; the lines about a job carry its job, attempt and agent.
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: .seconds(60)) == 130, "second coordinator:\n\(second.text)")
        agent.signal(SIGTERM)
        _ = await agent.waitForExit(timeout: .seconds(60))
        let example = try OperationsDocs.fencedBlock("### JSON log lines: `--log-format json`", language: "json")
        let exampleKeys = Set(try #require(try JSONSerialization.jsonObject(with: Data(example.utf8))
            as? [String: Any]).keys)
        let resultLine = try #require(try Self.jsonLines(first, "coordinator").first {
            ($0["message"] as? String)?.hasPrefix("result baseline-") == true
        })
        #expect(Set(resultLine.keys) == exampleKeys, "docs/operations.md's JSON line and a real one: \(resultLine)")
        for (child, name) in [(first, "coordinator"), (second, "restarted coordinator"), (agent, "agent")] {
            let objects = try Self.jsonLines(child, name)
            let aboutJobs = objects.filter { object in
                let message = object["message"] as? String ?? ""
                return message.hasPrefix("result baseline-") || message.contains(" finished baseline-")
            }
            #expect(!aboutJobs.isEmpty, "\(name): no line about a job result:\n\(child.text)")
            for object in aboutJobs {
                let message = object["message"] as? String ?? ""
                let job = object["job"] as? String
                #expect(job.map { message.contains($0 + "#") } == true, "\(name): job of \(object)")
                #expect((object["attempt"] as? Int).map { $0 >= 1 } == true, "\(name): attempt of \(object)")
                #expect(object["agent"] as? String == "agent-1", "\(name): agent of \(object)")
                #expect(object["collection"] is String, "\(name): collection of \(object)")
            }
        }
    }
}
