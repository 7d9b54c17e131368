@testable import BenchAgent
import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import Testing

@Suite("Agent task payloads and outcomes")
struct AgentPayloadTests {
    static func viaCodable<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    @Test("the outcome reads back as the metric, for successes and failures")
    func outcomeRoundTrip() throws {
        let job = Plan().expandJobs()[4]
        let success = BaselineMetric.success(
            job: job, startedAt: Date(timeIntervalSince1970: 1_740_830_400.25), durationMs: 12_345.678,
            httpStatus: 200, attempt: 3, agent: "agent-1", costModel: CostModel(),
            trainerFigures: ["cpu_seconds": 1.5, "peak_rss_mb": 300])
        let failure = BaselineMetric.failure(
            job: job, startedAt: Date(timeIntervalSince1970: 1_740_830_401), durationMs: 7_200_000, httpStatus: nil,
            attempt: 1, agent: "agent-2", error: "timeout after 7200.0 s")
        for metric in [success, failure] {
            #expect(try BaselineMetric(wireValue: AttemptRunner.outcome(metric)) == metric)
        }
    }

    @Test("a metric with a non-finite figure still yields a decodable failed outcome")
    func nonFiniteFigure() throws {
        let job = Plan().expandJobs()[0]
        var metric = BaselineMetric.success(
            job: job, startedAt: Date(), durationMs: 10, httpStatus: 200, attempt: 1, agent: "a",
            costModel: CostModel())
        metric.trainerFigures = ["cpu_seconds": .infinity]
        #expect(metric.wireValue == nil)
        let outcome = AttemptRunner.outcome(metric)
        let decoded = try BaselineMetric(wireValue: outcome)
        #expect(!decoded.success)
        #expect(decoded.errorMessage?.contains("cannot encode") == true)
    }

    @Test("the payload's job and pricing read directly equal their Decodable forms, labels included")
    func payloadFastPath() throws {
        var job = Plan().expandJobs()[2]
        job.labels = ["region": "eu-west"]
        let pricing = Pricing(baseVCPU: 8, baseMemoryGB: 32, vcpuHourUSD: 0.05, gbHourUSD: 0.01)
        let body = try Self.viaCodable(TrainRequest(job: job, template: PayloadTemplate()))
        let payload = try TrainTaskPayload(job: job, body: body, pricing: pricing).jsonValue()
        #expect(try TrainTaskPayload.job(payload["job"]) == job)
        #expect(try TrainTaskPayload.pricing(payload["pricing"]) == pricing)
        let read = try TrainTaskPayload(payload)
        #expect(read == TrainTaskPayload(job: job, body: body, pricing: pricing))
        // The body is posted with the same bytes TrainRequest itself produces.
        #expect(try read.bodyData() == TrainRequest(job: job, template: PayloadTemplate()).jsonData())
    }

    @Test("a payload job is written with snake_case members and read without labels")
    func jobMembers() throws {
        let job = Plan().expandJobs()[0]
        guard case .object(let members) = TrainTaskPayload.json(of: job) else {
            throw TaskPayloadError(member: "job", reason: "not an object")
        }
        #expect(Set(members.keys) == ["id", "ordinal", "day", "config_index", "country", "job_type", "iterations",
                                      "trials", "labels"])
        let legacy = #"{"id":"baseline-1-1-fr","ordinal":0,"day":1,"config_index":1,"country":"fr","#
            + #""job_type":"small","iterations":50,"trials":2}"#
        #expect(try TrainTaskPayload.job(JSONReader.value(from: Array(legacy.utf8))) == job)
    }

    @Test("an unusable payload names the member at fault")
    func payloadErrors() throws {
        let good = try TrainTaskPayload(
            job: Plan().expandJobs()[0], body: ["job_id": "x"], pricing: Pricing()).jsonValue()
        guard case .object(var members) = good else { throw TaskPayloadError(member: "?", reason: "?") }
        members["pricing"] = ["base_vcpu": "four"]
        let pricingError = #expect(throws: TaskPayloadError.self) { try TrainTaskPayload(.object(members)) }
        #expect(pricingError?.member == "pricing.base_vcpu")
        let noBody = JSONValue.object(["job": good["job"] ?? .null, "pricing": good["pricing"] ?? .null])
        let error = #expect(throws: TaskPayloadError.self) { try TrainTaskPayload(noBody) }
        #expect(error?.member == "body")
    }

    @Test("a train task with an unusable payload is answered with a failed measurement the coordinator can record")
    func unusablePayloadOutcome() async throws {
        let runner = AttemptRunner(trainer: nil, agentName: "agent-1")
        let assignment = WireMessage.Assign(
            task: TaskRef(taskID: "baseline-2-3-uk", attempt: 2), kind: .train, leaseMS: 1_000, timeoutMS: 1_000,
            payload: ["job": "nonsense"])
        let outcome = try await runner.run(assignment)
        let metric = try BaselineMetric(wireValue: outcome)
        #expect(!metric.success)
        #expect(metric.jobID == "baseline-2-3-uk")
        #expect(metric.attempt == 2)
        #expect(metric.errorMessage?.contains("job") == true)
    }
}
