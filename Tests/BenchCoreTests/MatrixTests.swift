import BenchCore
import Foundation
import Testing

@Suite("Job matrix and payload")
struct MatrixTests {
    /// The seed's loop, written out independently: for day, for job config, for country.
    static func seedJobIDs(days: Int) -> [String] {
        let configs: [[String]] = [["fr", "de"], ["uk", "es"], ["fr", "de"], ["uk"], ["fr"], ["de"]]
        var ids: [String] = []
        for day in 0..<days {
            for (jobIndex, countries) in configs.enumerated() {
                for country in countries { ids.append("baseline-\(day + 1)-\(jobIndex + 1)-\(country)") }
            }
        }
        return ids
    }

    @Test("job ids and order equal the seed's", arguments: [1, 3, 7])
    func seedIDs(days: Int) {
        var plan = Plan()
        plan.days = days
        let jobs = plan.expandJobs()
        #expect(jobs.count == 9 * days)
        #expect(jobs.map(\.id) == Self.seedJobIDs(days: days))
        #expect(jobs.map(\.ordinal) == Array(0..<(9 * days)))
        #expect(Set(jobs.map(\.id)).count == jobs.count)
    }

    @Test("each job carries its config's type, iterations and trials")
    func jobFields() throws {
        let jobs = Plan().expandJobs()
        let large = try #require(jobs.first { $0.id == "baseline-2-6-de" })
        #expect(large.day == 2)
        #expect(large.configIndex == 6)
        #expect(large.jobType == "large")
        #expect(large.iterations == 400)
        #expect(large.trials == 8)
        #expect(jobs.filter { $0.day == 1 }.map(\.jobType) == ["small", "small", "small", "small", "medium",
                                                                  "medium", "medium", "large", "large"])
    }

    @Test("the /train body has exactly the seed's keys and values")
    func payload() throws {
        let job = try #require(Plan().expandJobs().first)
        let data = TrainRequest(job: job, template: PayloadTemplate()).jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["job_id", "country", "iterations", "trials", "revision", "baseline_test",
                                     "paid_media_spends", "paid_media_vars", "context_vars", "factor_vars",
                                     "organic_vars"])
        #expect(object["job_id"] as? String == "baseline-1-1-fr")
        #expect(object["country"] as? String == "fr")
        #expect(object["iterations"] as? Int == 50)
        #expect(object["trials"] as? Int == 2)
        #expect(object["revision"] as? String == "baseline")
        #expect(object["baseline_test"] as? Bool == true)
        #expect(object["paid_media_spends"] as? [String] == ["GA_SUPPLY_COST", "GA_DEMAND_COST", "META_DEMAND_COST"])
        #expect(object["paid_media_vars"] as? [String] == ["GA_SUPPLY_COST", "GA_DEMAND_COST", "META_DEMAND_COST"])
        #expect(object["context_vars"] as? [String] == ["IS_WEEKEND"])
        #expect(object["factor_vars"] as? [String] == ["IS_WEEKEND"])
        #expect(object["organic_vars"] as? [String] == ["ORGANIC_TRAFFIC"])
    }

    @Test("the plan's payload overrides reach the body")
    func payloadOverride() throws {
        let plan = try PlanLoader.load(text: "payload: {revision: candidate-7, baseline_test: false}")
        let job = try #require(plan.expandJobs().first)
        let request = TrainRequest(job: job, template: plan.payload)
        #expect(request.revision == "candidate-7")
        #expect(request.baselineTest == false)
    }
}
