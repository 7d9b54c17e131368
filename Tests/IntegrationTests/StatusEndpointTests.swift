import BenchCore
import BenchStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `mmmbench coordinator --http 127.0.0.1:0`: `/`, `/status` and `/metrics` of a real coordinator process, checked
/// against the database before the first agent and during a day gap (when nothing moves).
@Suite("Coordinator live status over HTTP", .serialized)
struct StatusEndpointTests {
    static func get(_ port: Int, _ path: String) async throws -> (String, String) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        let (data, response) = try await URLSession.shared.data(from: url)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200, "GET \(path): \(http.statusCode)")
        return (String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Content-Type") ?? "")
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Every key path of a JSON value (objects' keys, arrays through their first element).
    static func keyPaths(_ value: Any, _ prefix: String = "") -> Set<String> {
        if let object = value as? [String: Any] {
            var paths: Set<String> = []
            for (key, child) in object where !(prefix.hasSuffix("by_status")) {
                paths.insert(prefix + "." + key)
                paths.formUnion(keyPaths(child, prefix + "." + key))
            }
            return paths
        }
        if let array = value as? [Any], let first = array.first { return keyPaths(first, prefix + "[]") }
        return []
    }

    /// The `/status` example of docs/operations.md.
    static func documentedExample() throws -> [String: Any] {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/operations.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let section = try #require(text.range(of: "### Live status: `--http`"))
        let start = try #require(text.range(of: "```json\n", range: section.upperBound..<text.endIndex))
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        return try json(String(text[start.upperBound..<end.lowerBound]))
    }

    @Test("--http-tls without --http, an unknown --log-format and an agent's non-loopback --http are refused")
    func httpOptionsRefused() async throws {
        let coordinator = ["coordinator", "--listen", "127.0.0.1:0", "--db", "/nonexistent/x.sqlite",
                           "--cert", "c.pem", "--key", "k.pem", "--ca", "ca.pem"]
        let cases: [([String], String)] = [
            (coordinator + ["--http-tls"], "--http-tls needs --http"),
            (coordinator + ["--log-format", "xml"], "--log-format must be text or json"),
            (["agent", "--coordinator", "127.0.0.1:7443", "--cert", "c.pem", "--key", "k.pem", "--ca", "ca.pem",
              "--no-trainer", "--http", "0.0.0.0:9100"], "the agent serves /metrics on a loopback address only"),
        ]
        for (arguments, reason) in cases {
            let child = try ChildProcess(arguments)
            #expect(await child.waitForExit(timeout: .seconds(30)) == 64, "\(arguments)")
            #expect(child.text.contains(reason), "\(arguments): \(child.text)")
        }
    }

    @Test("/status and /metrics agree with the database before any agent and in the day gap; / refreshes itself")
    func figuresAgreeWithDatabase() async throws {
        let cluster = try await Cluster(agents: ["agent-1"],
                                        trainerArguments: ["--work-scale", "0.02", "--fault", "train-error-every=4"])
        let plan = try cluster.plan("days: 2\njob_gap_seconds: 0\nday_gap_seconds: 9000\n")
        let (coordinator, port) = try await cluster.startCoordinator(
            plan: plan, extra: ["--time-scale", "0.01", "--http", "127.0.0.1:0"])
        defer { coordinator.signal(SIGTERM) }
        let prefix = "status page listening on http://127.0.0.1:"
        let line = try #require(await coordinator.waitForLine(timeout: .seconds(30)) { $0.contains(prefix) },
                                "no status line:\n\(coordinator.text)")
        let range = try #require(line.range(of: prefix))
        let statusPort = try #require(Int(line[range.upperBound...].prefix { $0.isNumber }))

        // Before any agent: every job pending, nothing committed.
        let (before, type) = try await Self.get(statusPort, "/status")
        #expect(type.hasPrefix("application/json"))
        let beforeJSON = try Self.json(before)
        let progress = try #require(beforeJSON["progress"] as? [String: Any])
        #expect(progress["total"] as? Int == 18 && progress["pending"] as? Int == 18 && progress["done"] as? Int == 0)
        let (metricsBefore, metricsType) = try await Self.get(statusPort, "/metrics")
        #expect(metricsType.hasPrefix("text/plain; version=0.0.4"))
        let parsedBefore = try PrometheusText(metricsBefore)
        #expect(parsedBefore.value(#"mmmbench_jobs{state="pending"}"#) == 18)
        #expect(parsedBefore.value("mmmbench_results_committed_total") == 0)

        // Day 1 done, day 2 waits 90 s: the figures must be the database's exactly.
        let agent = try cluster.startAgent("agent-1", port: port)
        defer { agent.signal(SIGTERM) }
        let status = try await DistributedCollectionTests.waitForStatus(cluster) { $0.done == 9 && $0.assigned == 0 }
        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        let metrics = try store.countedMetrics(collectionID: collection.id)
        let attempts = try store.attemptSpans(collectionID: collection.id)

        let (during, _) = try await Self.get(statusPort, "/status")
        let duringJSON = try Self.json(during)
        let live = try #require(duringJSON["progress"] as? [String: Any])
        #expect(live["done"] as? Int == status.done && live["pending"] as? Int == status.pending)
        let results = try #require(duringJSON["results"] as? [String: Any])
        #expect(results["counted"] as? Int == metrics.count)
        let attemptFigures = try #require(duringJSON["attempts"] as? [String: Any])
        #expect(attemptFigures["total"] as? Int == attempts.count)
        let failures = try #require(duringJSON["recent_failures"] as? [Any])
        #expect(failures.count == min(metrics.filter { !$0.success }.count, 10))
        #expect(metrics.contains { !$0.success }, "the trainer's fault should have failed a job of day 1")
        let documented = Self.keyPaths(try Self.documentedExample())
        let answered = Self.keyPaths(duringJSON)
        let difference = "only documented \(documented.subtracting(answered)), only answered "
            + "\(answered.subtracting(documented))"
        #expect(documented == answered, "docs/operations.md's /status example and the live answer: \(difference)")

        let exposition = try await Self.get(statusPort, "/metrics").0
        let parsed = try PrometheusText(exposition)
        try Promtool.check(exposition, what: "the coordinator's /metrics")
        #expect(parsed.types["mmmbench_trainer_duration_seconds"] == "histogram")
        #expect(parsed.types["mmmbench_results_committed_total"] == "counter")
        #expect(parsed.value(#"mmmbench_jobs{state="done"}"#) == Double(status.done))
        #expect(parsed.value(#"mmmbench_jobs{state="pending"}"#) == Double(status.pending))
        #expect(parsed.value("mmmbench_results_committed_total") == Double(metrics.count))
        #expect(parsed.value("mmmbench_attempts_total") == Double(attempts.count))
        #expect(parsed.value("mmmbench_redispatches_total") == Double(attempts.filter { $0.attempt > 1 }.count))
        #expect(parsed.sum("mmmbench_trainer_duration_seconds_count") == Double(metrics.count))
        let byType = Dictionary(grouping: metrics, by: \.jobType)
        for (jobType, rows) in byType {
            #expect(parsed.sum("mmmbench_trainer_duration_seconds_count", containing: [#"job_type="\#(jobType)""#])
                == Double(rows.count))
        }
        #expect(parsed.value(#"mmmbench_in_flight{agent="agent-1"}"#) == 0)
        #expect(parsed.value("mmmbench_agents_connected") == 1)

        let (page, pageType) = try await Self.get(statusPort, "/")
        #expect(pageType.hasPrefix("text/html"))
        #expect(page.contains("<meta http-equiv=\"refresh\" content=\"5\">"))
        #expect(page.contains("<strong>9 of 18 jobs done</strong>"))
        #expect(!page.contains("<script"))
    }
}
