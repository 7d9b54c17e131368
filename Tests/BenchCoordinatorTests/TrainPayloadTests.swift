@testable import BenchCoordinator
import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

@Suite("Task payloads and outcomes of train tasks")
struct TrainPayloadTests {
    func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue?) throws -> T {
        let value = try #require(value)
        return try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
    }

    @Test("the payload carries the job, the POST /train body and the pricing (body, pricing: their Codable forms)")
    func payloadMatchesCodable() throws {
        var plan = Plan(pricing: Pricing(baseVCPU: 8, baseMemoryGB: 32, vcpuHourUSD: 0.1, gbHourUSD: 0.01))
        plan.jobs[2].labels = ["gpu": "true"]
        plan.payload.revision = "r7"
        let builder = TrainPayload(plan: plan)
        for job in plan.expandJobs() {
            let payload = builder.payload(for: job)
            var spec = job
            spec.id = job.taskID
            spec.target = nil
            #expect(try TrainTaskPayload.job(payload["job"]) == spec)
            #expect(try decode(TrainRequest.self, payload["body"]) == TrainRequest(job: job, template: plan.payload))
            #expect(try decode(Pricing.self, payload["pricing"]) == plan.pricing)
            // The body's bytes, as an agent posts them, are the seed's body.
            let body = try JSONEncoder().encode(try #require(payload["body"]))
            let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            #expect(Set(object.keys) == ["job_id", "country", "iterations", "trials", "revision", "baseline_test",
                                         "paid_media_spends", "paid_media_vars", "context_vars", "factor_vars",
                                         "organic_vars"])
        }
    }

    func result(_ metric: BaselineMetric, task: TaskRef) throws -> WireMessage.TaskResult {
        let outcome = try #require(metric.wireValue)
        return WireMessage.TaskResult(task: task, outcome: outcome, finishedAt: .now())
    }

    @Test("an outcome is read as the metric, with attempt and agent taken from the task and the certificate")
    func outcomeRead() throws {
        let job = Plan().expandJobs()[4]
        let metric = BaselineMetric.success(
            job: job, startedAt: Date(timeIntervalSince1970: 1_750_000_000.5), durationMs: 1234.5, httpStatus: 200,
            attempt: 9, agent: "what-the-agent-says", costModel: CostModel())
        let read = try TrainOutcome.metric(of: result(metric, task: TaskRef(taskID: job.id, attempt: 2)),
                                           agent: "agent-1").get()
        var expected = metric
        expected.attempt = 2
        expected.agent = "agent-1"
        #expect(read == expected)
    }

    @Test("an outcome for another job or not a measurement is refused with the reason")
    func outcomeRefused() throws {
        let job = Plan().expandJobs()[0]
        let metric = BaselineMetric.failure(job: job, startedAt: Date(), durationMs: 3, httpStatus: 500, attempt: 1,
                                            agent: "a", error: "HTTP 500")
        let wrongTask = try result(metric, task: TaskRef(taskID: "baseline-9-9-xx", attempt: 1))
        guard case .failure(let refusal) = TrainOutcome.metric(of: wrongTask, agent: "a") else {
            Issue.record("accepted")
            return
        }
        #expect(refusal.reason.contains("differs from the task baseline-9-9-xx"))
        let garbage = WireMessage.TaskResult(task: TaskRef(taskID: job.id, attempt: 1), outcome: ["success": true],
                                             finishedAt: .now())
        guard case .failure(let second) = TrainOutcome.metric(of: garbage, agent: "a") else {
            Issue.record("accepted")
            return
        }
        #expect(second.reason.hasPrefix("outcome is not a train measurement"))
    }

    @Test("reading an outcome agrees with the Codable oracle on valid and invalid outcomes",
          arguments: [
            #"{"timestamp":1750000000.25,"job_id":"j","job_type":"small","iterations":5,"trials":2,"country":"fr","duration_minutes":0.5,"cpu_hours":0.1,"memory_gb_hours":0.2,"cost_estimate":0.01,"success":true,"attempt":1,"agent":"a","http_status":200,"duration_ms":30000.5,"trainer_figures":{"cpu_seconds":1.5}}"#,
            #"{"timestamp":1,"job_id":"j","job_type":"small","iterations":5,"trials":2,"country":"fr","duration_minutes":0,"cpu_hours":0,"memory_gb_hours":0,"cost_estimate":0,"success":false,"error_message":"HTTP 500","attempt":1,"agent":"a","http_status":null,"duration_ms":3,"trainer_figures":{}}"#,
            #"{"timestamp":1,"job_id":"j","job_type":"small","iterations":5.5,"trials":2,"country":"fr","duration_minutes":0,"cpu_hours":0,"memory_gb_hours":0,"cost_estimate":0,"success":false,"attempt":1,"agent":"a","duration_ms":3,"trainer_figures":{}}"#,
            #"{"timestamp":1,"job_id":"j","job_type":"small","iterations":5,"trials":2,"country":"fr","duration_minutes":0,"cpu_hours":0,"memory_gb_hours":0,"cost_estimate":0,"success":"yes","attempt":1,"agent":"a","duration_ms":3,"trainer_figures":{}}"#,
            #"{"timestamp":1,"job_id":"j","job_type":"small","iterations":5,"trials":2,"country":"fr","duration_minutes":0,"cpu_hours":0,"memory_gb_hours":0,"cost_estimate":0,"success":true,"attempt":1,"agent":"a","duration_ms":3}"#,
            #"{"timestamp":1,"job_id":"j","job_type":"small","iterations":5,"trials":2,"country":"fr","duration_minutes":0,"cpu_hours":0,"memory_gb_hours":0,"cost_estimate":0,"success":true,"attempt":1,"agent":"a","duration_ms":3,"trainer_figures":{"x":"1"}}"#,
            #"{"timestamp":1,"job_id":"j","job_type":"small","iterations":5,"trials":2,"country":"fr","duration_minutes":0,"cpu_hours":0,"memory_gb_hours":0,"cost_estimate":0,"success":true,"attempt":1,"agent":"a","duration_ms":3,"http_status":"200","trainer_figures":{}}"#,
            #"[1,2]"#,
          ])
    func readingAgreesWithDecodable(text: String) throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        let decoded = MetricCodableOracle.decode(Data(text.utf8))
        let read = try? BaselineMetric(wireValue: value)
        #expect(read == decoded)
    }
}
