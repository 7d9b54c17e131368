import BenchJSON
import Foundation
import Testing

@testable import BenchTrainer

/// Invalid `/train` payloads are refused with 400 (not a JSON object) or 422 (a field is wrong), and the error
/// names the field, so a client can tell its caller what to fix.
@Suite("POST /train validation")
struct TrainValidationTests {
    /// A payload shape and the field the trainer must blame.
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var body: String
        var field: String
        var testDescription: String { "\(field): \(body)" }
    }

    static let invalidCases: [InvalidCase] = [
        .init(body: #"{"iterations": 50, "trials": 2}"#, field: "country"),
        .init(body: #"{"country": null, "iterations": 50, "trials": 2}"#, field: "country"),
        .init(body: #"{"country": "", "iterations": 50, "trials": 2}"#, field: "country"),
        .init(body: #"{"country": "  ", "iterations": 50, "trials": 2}"#, field: "country"),
        .init(body: #"{"country": 33, "iterations": 50, "trials": 2}"#, field: "country"),
        .init(body: #"{"country": "fr", "trials": 2}"#, field: "iterations"),
        .init(body: #"{"country": "fr", "iterations": null, "trials": 2}"#, field: "iterations"),
        .init(body: #"{"country": "fr", "iterations": -1, "trials": 2}"#, field: "iterations"),
        .init(body: #"{"country": "fr", "iterations": 0, "trials": 2}"#, field: "iterations"),
        .init(body: #"{"country": "fr", "iterations": "50", "trials": 2}"#, field: "iterations"),
        .init(body: #"{"country": "fr", "iterations": 1.5, "trials": 2}"#, field: "iterations"),
        .init(body: #"{"country": "fr", "iterations": true, "trials": 2}"#, field: "iterations"),
        .init(body: #"{"country": "fr", "iterations": 100001, "trials": 2}"#, field: "iterations"),
        .init(body: #"{"country": "fr", "iterations": 50}"#, field: "trials"),
        .init(body: #"{"country": "fr", "iterations": 50, "trials": 0}"#, field: "trials"),
        .init(body: #"{"country": "fr", "iterations": 50, "trials": -3}"#, field: "trials"),
        .init(body: #"{"country": "fr", "iterations": 50, "trials": [2]}"#, field: "trials"),
        .init(body: #"{"country": "fr", "iterations": 50, "trials": 2, "job_id": 7}"#, field: "job_id"),
        .init(body: #"{"country": "fr", "iterations": 50, "trials": 2, "baseline_test": "yes"}"#, field: "baseline_test"),
        .init(body: #"{"country": "fr", "iterations": 50, "trials": 2, "paid_media_vars": "TV"}"#, field: "paid_media_vars"),
        .init(body: #"{"country": "fr", "iterations": 50, "trials": 2, "paid_media_vars": []}"#, field: "paid_media_vars"),
        .init(body: #"{"country": "fr", "iterations": 50, "trials": 2, "paid_media_vars": ["TV", 3]}"#, field: "paid_media_vars[1]"),
        .init(body: #"{"country": "fr", "iterations": 50, "trials": 2, "paid_media_vars": ["TV", "TV"]}"#, field: "paid_media_vars[1]"),
        .init(
            body: #"{"country": "fr", "iterations": 50, "trials": 2, "paid_media_vars": ["TV"], "paid_media_spends": ["A", "B"]}"#,
            field: "paid_media_spends"),
        .init(body: #"{"country": "fr", "iterations": 50, "trials": 2, "context_vars": [""]}"#, field: "context_vars[0]"),
        .init(body: #"{"country": "fr", "iterations": 50, "trials": 2, "factor_vars": ["HOLIDAY"]}"#, field: "factor_vars[0]"),
        // The seed's own error-handling check (test_07).
        .init(body: #"{"invalid_field": "test", "iterations": -1, "country": null}"#, field: "country"),
    ]

    @Test("each invalid shape names its field", arguments: invalidCases)
    func namesTheField(_ invalid: InvalidCase) throws {
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(invalid.body.utf8))
        #expect(throws: RequestValidationError.self) { try TrainRequest(json: json) }
        do {
            _ = try TrainRequest(json: json)
        } catch {
            #expect(error.field == invalid.field)
        }
    }

    @Test("over HTTP: 422 with a JSON error naming the field, and the trainer stays healthy")
    func httpUnprocessable() async throws {
        try await TrainerHarness.with { trainer in
            for invalid in Self.invalidCases {
                let answer = try await trainer.post("/train", invalid.body)
                #expect(answer.status == 422, "\(invalid.testDescription)")
                #expect(answer["field"]?.string == invalid.field, "\(invalid.testDescription)")
                #expect(answer["status"]?.string == "error")
                #expect(answer["error"]?.string?.isEmpty == false)
            }
            #expect(try await trainer.health().status == 200)
        }
    }

    /// The trailing comma and the byte-order mark: BenchJSON's strict reader refuses what only Foundation tolerated
    /// (as Python's `json` does); docs/trainer.md says so.
    @Test("over HTTP: a body that is not a JSON object is a 400 without a field")
    func httpBadRequest() async throws {
        try await TrainerHarness.with { trainer in
            let trailingComma = #"{"country": "fr", "iterations": 5, "trials": 1,}"#
            let byteOrderMark = "\u{FEFF}" + #"{"country": "fr", "iterations": 5, "trials": 1}"#
            let bodies = ["this is not json", "{\"country\": ", "[1, 2, 3]", "\"fr\"", "", trailingComma, byteOrderMark]
            for body in bodies {
                let answer = try await trainer.post("/train", body)
                #expect(answer.status == 400, "body \(body)")
                #expect(answer["field"] == .null, "body \(body)")
                #expect(answer["error"]?.string?.isEmpty == false, "body \(body)")
            }
        }
    }

    @Test("the seed's benchmark payload (extra keys) and baseline payload are accepted")
    func seedPayloadsAccepted() async throws {
        try await TrainerHarness.with { trainer in
            let benchmark = try await trainer.post(
                "/train",
                #"{"benchmark": true, "iterations": 50, "trials": 2, "country": "test", "expected_duration_minutes": 15}"#)
            #expect(benchmark.status == 200)
            #expect(benchmark["status"]?.string == "success")
            #expect(benchmark["country"]?.string == "test")

            let baseline = try await trainer.post("/train", seedPayload(jobID: "baseline-2-3-de", country: "de", iterations: 150, trials: 4))
            #expect(baseline.status == 200)
            #expect(baseline["job_id"]?.string == "baseline-2-3-de")
            #expect(baseline["status"]?.string == "success")
        }
    }

    @Test("defaults: a payload without variable lists uses the seed's lists")
    func defaultsToSeedVariables() throws {
        let json = try JSONDecoder().decode(
            JSONValue.self, from: Data(#"{"country": " fr ", "iterations": 5, "trials": 1}"#.utf8))
        let request = try TrainRequest(json: json)
        #expect(request.country == "fr")
        #expect(request.variables == .seedDefault)
        #expect(request.jobID == nil)
    }
}
