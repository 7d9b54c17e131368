import AsyncHTTPClient
@testable import BenchAgent
import BenchCore
import BenchJSON
import BenchProtocol
import BenchWire
import Foundation
import NIOHTTP1
import Testing

/// The plan's `success_rule` against a real HTTP server on loopback: the seed counts any 200 as a success; the
/// strict rule wants `{"status": "success"}`; a 500 fails under both.
@Suite("Success rule against canned trainer answers")
struct SuccessRuleTests {
    struct Answer: Sendable, CustomTestStringConvertible {
        let status: HTTPResponseStatus
        let body: String
        /// The failure reason's start under `status_success`; nil when it is a success there too.
        let strictFailure: String?
        /// The failure reason's start under the default rule; nil for a success.
        let defaultFailure: String?
        var testDescription: String { "\(status.code) '\(body)'" }
    }

    static let answers: [Answer] = [
        Answer(status: .ok, body: #"{"status":"ok"}"#, strictFailure: "trainer reported status 'ok' with HTTP 200",
               defaultFailure: nil),
        Answer(status: .ok, body: "", strictFailure: "unreadable body: HTTP 200 without a JSON object (0 bytes",
               defaultFailure: nil),
        Answer(status: .ok, body: "fitted, thanks", strictFailure: "unreadable body: HTTP 200 without a JSON object",
               defaultFailure: nil),
        Answer(status: .ok, body: #"{"elapsed_seconds":0.25}"#,
               strictFailure: "HTTP 200 without a string 'status' in the body", defaultFailure: nil),
        Answer(status: .ok, body: #"{"status":"success","elapsed_seconds":0.25}"#, strictFailure: nil,
               defaultFailure: nil),
        Answer(status: .internalServerError, body: #"{"status":"success","error":"boom"}"#,
               strictFailure: "HTTP 500: boom", defaultFailure: "HTTP 500: boom"),
    ]

    static let job = Plan().expandJobs()[0]

    static func run(_ rule: SuccessRule?, against url: String) async throws -> BaselineMetric {
        var plan = Plan()
        plan.timeoutSeconds = 30
        plan.successRule = rule
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let runner = JobRunner(client: TrainerClient(baseURL: url, http: http), plan: plan, agent: "test-agent")
        return try await shuttingDown(http) { try await runner.run(Self.job, attempt: 1) }
    }

    static func check(_ metric: BaselineMetric, failure expected: String?, status: HTTPResponseStatus) {
        #expect(metric.httpStatus == Int(status.code))
        if let expected {
            #expect(!metric.success)
            #expect(metric.errorMessage?.hasPrefix(expected) == true, "\(metric.errorMessage ?? "no error")")
            #expect(metric.costEstimate == 0)
        } else {
            #expect(metric.success)
            #expect(metric.errorMessage == nil)
            #expect(metric.durationMinutes > 0)
        }
    }

    @Test("the default rule (the seed's) and status_success judge each answer", arguments: answers)
    func bothRules(_ answer: Answer) async throws {
        let (byDefault, named, strict) = try await CannedTrainer.with(status: answer.status, body: answer.body) {
            url in
            (try await Self.run(nil, against: url), try await Self.run(.http200, against: url),
             try await Self.run(.statusSuccess, against: url))
        }
        Self.check(byDefault, failure: answer.defaultFailure, status: answer.status)
        Self.check(named, failure: answer.defaultFailure, status: answer.status)
        Self.check(strict, failure: answer.strictFailure, status: answer.status)
    }

    @Test("the trainer's figures are read from a JSON body under the default rule whatever its status says")
    func figuresWithoutStatus() async throws {
        let metric = try await CannedTrainer.with(status: .ok, body: #"{"status":"ok","elapsed_seconds":0.25}"#) {
            try await Self.run(nil, against: $0)
        }
        #expect(metric.success)
        #expect(metric.trainerFigures == ["elapsed_seconds": 0.25])
    }

    @Test("an agent applies the success_rule its assignment carries")
    func agentTakesRuleFromPayload() async throws {
        let outcomes = try await CannedTrainer.with(status: .ok, body: #"{"status":"ok"}"#) { url in
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let runner = AttemptRunner(trainer: TrainerClient(baseURL: url, http: http), agentName: "agent-1")
            return try await shuttingDown(http) {
                var outcomes: [BaselineMetric] = []
                for rule in [SuccessRule.http200, .statusSuccess] {
                    let payload = try TrainTaskPayload(job: Self.job, body: ["job_id": .string(Self.job.id)],
                                                       pricing: Pricing(), successRule: rule).jsonValue()
                    let assignment = WireMessage.Assign(
                        task: TaskRef(taskID: Self.job.id, attempt: 1), kind: .train, leaseMS: 60_000,
                        timeoutMS: 30_000, payload: payload)
                    let outcome = try await runner.run(assignment)
                    outcomes.append(try BaselineMetric(wireValue: outcome))
                }
                return outcomes
            }
        }
        #expect(outcomes.map(\.success) == [true, false])
        #expect(outcomes[1].errorMessage == "trainer reported status 'ok' with HTTP 200")
    }

    @Test("the payload carries a non-default rule, leaves the default out, and refuses an unknown one")
    func payloadMember() throws {
        let strict = try TrainTaskPayload(job: Self.job, body: ["job_id": "x"], pricing: Pricing(),
                                          successRule: .statusSuccess).jsonValue()
        #expect(strict[SuccessRule.payloadMember] == .string("status_success"))
        #expect(try TrainTaskPayload(strict).successRule == .statusSuccess)
        let plain = try TrainTaskPayload(job: Self.job, body: ["job_id": "x"], pricing: Pricing()).jsonValue()
        #expect(plain[SuccessRule.payloadMember] == nil)
        #expect(try TrainTaskPayload(plain).successRule == .http200)
        guard case .object(var members) = plain else { throw CannedTrainerError() }
        members[SuccessRule.payloadMember] = "strict"
        let error = #expect(throws: TaskPayloadError.self) { try TrainTaskPayload(.object(members)) }
        #expect(error?.member == "success_rule")
    }
}
