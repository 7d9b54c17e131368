import BenchCore
import Foundation
import Testing

@Suite("Plan success_rule")
struct SuccessRulePlanTests {
    static let planDoc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/plan.md")

    /// The fenced yaml blocks of docs/plan.md after `heading` (the first block when nil), in order.
    static func yamlBlocks(after heading: String? = nil) throws -> [String] {
        var text = try String(contentsOf: planDoc, encoding: .utf8)
        if let heading {
            let start = try #require(text.range(of: heading))
            text = String(text[start.upperBound...])
        }
        return text.components(separatedBy: "```yaml\n").dropFirst().compactMap {
            $0.components(separatedBy: "```").first
        }
    }

    @Test("without success_rule a plan takes the seed's rule, HTTP 200, and its canonical JSON does not name it")
    func defaultRule() throws {
        let plan = try PlanLoader.load(text: "days: 1")
        #expect(plan.successRule == nil)
        #expect(plan.effectiveSuccessRule == .http200)
        #expect(!plan.canonicalJSON().contains("success_rule"))
        #expect(try PlanLoader.load(text: "success_rule: http_200") == Plan())
    }

    @Test("status_success is read, stored in the canonical JSON and read back")
    func strictRule() throws {
        let plan = try PlanLoader.load(text: "success_rule: status_success")
        #expect(plan.effectiveSuccessRule == .statusSuccess)
        #expect(plan.canonicalJSON().contains(#""success_rule":"status_success""#))
        #expect(try Plan.fromCanonicalJSON(plan.canonicalJSON()) == plan)
        #expect(PlanDifference.describe(stored: Plan(), requested: plan) == "differs in: success_rule")
    }

    @Test("an unknown rule or a non-string is refused with the field named", arguments: [
        ("success_rule: strict", "success_rule: must be one of http_200, status_success, got 'strict'"),
        ("success_rule: [http_200]", "success_rule: expected a string"),
    ])
    func badRule(text: String, message: String) {
        let error = #expect(throws: PlanError.self) { try PlanLoader.load(text: text) }
        #expect(error?.path == "success_rule")
        #expect(error?.description.hasPrefix(message) == true, "\(error?.description ?? "")")
    }

    @Test("docs/plan.md: the full example is the seed's plan, the strict example loads as status_success")
    func documentedExamples() throws {
        let full = try #require(try Self.yamlBlocks().first)
        #expect(full.contains("success_rule: http_200"))
        #expect(try PlanLoader.load(text: full) == Plan())
        let strict = try #require(try Self.yamlBlocks(after: "## What counts as success").first)
        #expect(try PlanLoader.load(text: strict).effectiveSuccessRule == .statusSuccess)
        // The refusal the page quotes is the one a user gets.
        let docs = try String(contentsOf: Self.planDoc, encoding: .utf8)
        let refusal = #expect(throws: PlanError.self) { try PlanLoader.load(text: "success_rule: strict") }
        #expect(docs.contains("(`\(refusal?.description ?? "?")`)"))
    }
}
