import BenchCore
import Foundation
import Testing

@Suite("Job labels (routing) and the wire form of metrics and jobs")
struct LabelRoutingTests {
    @Test("labels of a job config reach every job of that config; configs without labels have none")
    func labelsReachJobs() throws {
        let plan = try PlanLoader.load(text: """
            days: 2
            jobs:
              - {type: large, iterations: 400, trials: 8, countries: [de], labels: {gpu: true, region: eu-west}}
              - {type: small, iterations: 50, trials: 2, countries: [fr, de]}
            """)
        #expect(plan.jobs[0].labels == ["gpu": "true", "region": "eu-west"])
        #expect(plan.jobs[1].labels.isEmpty)
        let jobs = plan.expandJobs()
        #expect(jobs.filter { $0.configIndex == 1 }.allSatisfy { $0.labels == ["gpu": "true", "region": "eu-west"] })
        #expect(jobs.filter { $0.configIndex == 2 }.allSatisfy { $0.labels.isEmpty })
    }

    @Test("a job runs on an agent whose labels include all of the job's, with equal values")
    func canRun() {
        let job = JobSpec(id: "baseline-1-1-de", ordinal: 0, day: 1, configIndex: 1, country: "de", jobType: "large",
                          iterations: 1, trials: 1, labels: ["gpu": "true", "region": "eu-west"])
        #expect(job.canRun(onAgentWith: ["gpu": "true", "region": "eu-west", "host": "b7"]))
        #expect(!job.canRun(onAgentWith: ["gpu": "true"]))
        #expect(!job.canRun(onAgentWith: ["gpu": "false", "region": "eu-west"]))
        var unlabelled = job
        unlabelled.labels = [:]
        #expect(unlabelled.canRun(onAgentWith: [:]))
    }

    @Test("invalid labels are refused with the field path", arguments: [
        ("{\"\": x}", "jobs[0].labels."),
        ("{\"has space\": x}", "jobs[0].labels.has space"),
        ("{gpu: \"\"}", "jobs[0].labels.gpu"),
        ("[gpu]", "jobs[0].labels"),
    ])
    func invalidLabels(labels: String, path: String) {
        let text = "jobs: [{type: small, iterations: 1, trials: 1, countries: [fr], labels: \(labels)}]"
        #expect {
            _ = try PlanLoader.load(text: text)
        } throws: { error in
            (error as? PlanError)?.path == path
        }
    }

    @Test("a plan without labels keeps its canonical JSON (no labels member), and labels round-trip through it")
    func canonicalJSON() throws {
        #expect(!Plan().canonicalJSON().contains("labels"))
        var plan = Plan()
        plan.jobs[5].labels = ["gpu": "true"]
        let stored = plan.canonicalJSON()
        #expect(stored.contains("\"labels\":{\"gpu\":\"true\"}"))
        #expect(try Plan.fromCanonicalJSON(stored) == plan)
        #expect(plan != Plan())
    }

    @Test("a JobSpec encodes with snake_case members and decodes without labels")
    func jobSpecJSON() throws {
        let job = Plan().expandJobs()[0]
        let object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(job)) as? [String: Any])
        #expect(Set(object.keys) == ["id", "ordinal", "day", "config_index", "country", "job_type", "iterations",
                                     "trials", "labels"])
        let legacy = #"{"id":"baseline-1-1-fr","ordinal":0,"day":1,"config_index":1,"country":"fr","#
            + #""job_type":"small","iterations":50,"trials":2}"#
        #expect(try JSONDecoder().decode(JobSpec.self, from: Data(legacy.utf8)) == job)
    }

    @Test("a metric survives its wire JSON exactly; the JSON has the documented members")
    func metricWireRoundTrip() throws {
        let job = Plan().expandJobs()[3]
        let metric = BaselineMetric.success(
            job: job, startedAt: Date(timeIntervalSince1970: 1_740_830_400.25), durationMs: 12_345.678,
            httpStatus: 200, attempt: 2, agent: "agent-1", costModel: CostModel(pricing: Pricing()),
            trainerFigures: ["cpu_seconds": 1.5])
        let data = try metric.wireJSON()
        #expect(try BaselineMetric(wireJSON: data) == metric)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["job_id"] as? String == job.id)
        #expect(object["timestamp"] as? Double == 1_740_830_400.25)
        #expect(object["duration_ms"] as? Double == 12_345.678)

        let failed = BaselineMetric.failure(job: job, startedAt: Date(timeIntervalSince1970: 1), durationMs: 3,
                                            httpStatus: nil, attempt: 1, agent: "a", error: "timeout after 1 s")
        #expect(try BaselineMetric(wireJSON: failed.wireJSON()) == failed)
    }

    @Test("an undecodable outcome names the field; a non-finite number cannot be encoded")
    func metricWireErrors() throws {
        #expect {
            _ = try BaselineMetric(wireJSON: Data(#"{"job_id":"x"}"#.utf8))
        } throws: { error in
            (error as? MetricWireError)?.reason.hasSuffix("missing") == true
        }
        #expect {
            _ = try BaselineMetric(wireJSON: Data("not json".utf8))
        } throws: { error in
            (error as? MetricWireError)?.operation == "decode"
        }
        var metric = BaselineMetric.failure(job: Plan().expandJobs()[0], startedAt: Date(), durationMs: .nan,
                                            httpStatus: nil, attempt: 1, agent: "a", error: "x")
        #expect(throws: MetricWireError.self) { try metric.wireJSON() }
        metric.durationMs = 1
        #expect(try metric.wireJSON().count > 0)
    }
}
