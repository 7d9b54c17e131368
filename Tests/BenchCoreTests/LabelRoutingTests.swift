import BenchCore
import Foundation
import Testing

@Suite("Job labels (routing)")
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
}
