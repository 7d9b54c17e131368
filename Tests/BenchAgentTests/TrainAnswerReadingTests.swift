@testable import BenchAgent
import BenchCore
import Foundation
import Testing

/// How the body of a trainer's HTTP 200 is read (`TrainAnswerReading`, BenchJSON's reader): the figures it yields
/// and what `status_success` makes of bodies that are not the JSON object it wants.
@Suite("Reading a trainer's 200 answer")
struct TrainAnswerReadingTests {
    static func read(_ body: [UInt8], _ rule: SuccessRule) -> TrainAnswerReading {
        TrainAnswerReading(body: Data(body), rule: rule)
    }

    static func read(_ body: String, _ rule: SuccessRule) -> TrainAnswerReading {
        read(Array(body.utf8), rule)
    }

    @Test("the figures are the known members that are JSON numbers: not booleans, strings or unknown names")
    func figures() {
        let body = #"{"status":"success","elapsed_seconds":2,"cpu_seconds":true,"peak_rss_mb":1.5e2,"#
            + #""candidates_evaluated":"12","loss":0.1}"#
        for rule in [SuccessRule.http200, .statusSuccess] {
            let reading = Self.read(body, rule)
            #expect(reading.failureReason == nil)
            #expect(reading.figures == ["elapsed_seconds": 2, "peak_rss_mb": 150])
        }
    }

    @Test("bodies that are not one JSON object: a success without figures by the seed's rule, unreadable strictly",
          arguments: [
              Array("[1, 2]".utf8), Array("\"success\"".utf8), Array(#"{"status":"success"} trailing"#.utf8),
              Array(#"{"status":"success""#.utf8), [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D],  // {"\xFF":1}
              Array(#"{"status":"success",}"#.utf8),
          ])
    func notAnObject(body: [UInt8]) {
        let seed = Self.read(body, .http200)
        #expect(seed.failureReason == nil)
        #expect(seed.figures.isEmpty)
        let strict = Self.read(body, .statusSuccess)
        #expect(strict.failureReason?.hasPrefix("unreadable body: HTTP 200 without a JSON object (\(body.count) bytes")
            == true, "\(strict.failureReason ?? "a success")")
    }

    @Test("a status that is not a string, and a repeated status: the first one counts")
    func statusMember() {
        #expect(Self.read(#"{"status":true}"#, .statusSuccess).failureReason
            == "HTTP 200 without a string 'status' in the body (success_rule status_success)")
        #expect(Self.read(#"{"status":"failed","status":"success"}"#, .statusSuccess).failureReason
            == "trainer reported status 'failed' with HTTP 200")
        #expect(Self.read(#"{"status":"success","status":"failed"}"#, .statusSuccess).failureReason == nil)
        // Only the member named exactly `status` counts, escapes resolved.
        #expect(Self.read(#"{"statuses":"success","stat":"success"}"#, .statusSuccess).failureReason
            == "HTTP 200 without a string 'status' in the body (success_rule status_success)")
        #expect(Self.read(#"{"st\u0061tus":"success"}"#, .statusSuccess).failureReason == nil)
    }

    @Test("the error text of a non-200 body is its string `error` member, at most 200 characters")
    func errorText() {
        #expect(JobRunner.errorText(Data(#"{"error":"boom","status":"failed"}"#.utf8)) == "boom")
        #expect(JobRunner.errorText(Data(#"{"error":{"code":1}}"#.utf8)) == nil)
        #expect(JobRunner.errorText(Data("Internal Server Error".utf8)) == nil)
        #expect(JobRunner.errorText(Data(("{\"error\":\"" + String(repeating: "x", count: 300) + "\"}").utf8))
            == String(repeating: "x", count: 200))
        #expect(JobRunner.errorText(nil) == nil)
    }
}
