import BenchCore
import Testing

/// A plan's string members (countries, job types, the payload's revision and names) take any scalar but null,
/// whatever YAML would otherwise make of it (a country's code is checked after that). The loader answers "is it null?" from the text for untagged plain scalars (Yams's tag
/// resolution runs seven regular expressions per scalar); these cases pin that answer to YAML's.
@Suite("Plan strings: every scalar but null, as YAML reads it")
struct PlanStringScalarTests {
    /// A one-job plan whose countries list is `countries` as written.
    static func plan(countries: String) -> String {
        "jobs: [{type: small, iterations: 1, trials: 1, countries: \(countries)}]\n"
    }

    /// A plan whose payload revision (any string) is `revision` as written.
    static func plan(revision: String) -> String {
        "payload:\n  revision: \(revision)\n"
    }

    @Test("plain scalars YAML would read as booleans, numbers, merge keys or dates stay strings",
          arguments: ["no", "yes", "on", "OFF", "true", "123", "-7", "1.5", "1e3", "0x1F", "0o17", ".inf", ".NaN",
                      "<<", "2001-12-14", "c000001", "nUlL", "nulls", "~x", "NULL_"])
    func plainNonNull(_ spelling: String) throws {
        let plan = try PlanLoader.load(text: Self.plan(revision: spelling))
        #expect(plan.payload.revision == spelling)
    }

    @Test("the plain spellings of null are refused as null", arguments: ["null", "Null", "NULL", "~"])
    func plainNull(_ spelling: String) {
        #expect(throws: PlanError.self) { try PlanLoader.load(text: Self.plan(countries: "[fr, \(spelling)]")) }
        do {
            _ = try PlanLoader.load(text: Self.plan(countries: "[fr, \(spelling)]"))
        } catch {
            #expect("\(error)".contains("expected a string, got null"), "\(error)")
        }
    }

    @Test("an empty plain scalar is null and refused")
    func emptyIsNull() {
        let text = """
            jobs:
              - type: small
                iterations: 1
                trials: 1
                countries:
                  - fr
                  -
            """
        #expect(throws: PlanError.self) { try PlanLoader.load(text: text) }
    }

    @Test("quoted or tagged as a string, null's spellings are strings; tagged null is null",
          arguments: [("\"null\"", "null"), ("'~'", "~"), ("!!str null", "null"), ("\"\"", ""), ("'NULL'", "NULL")])
    func quotedOrTagged(_ written: String, _ revision: String) throws {
        let plan = try PlanLoader.load(text: Self.plan(revision: written))
        #expect(plan.payload.revision == revision)
    }

    @Test("an explicit null tag makes even a word null")
    func taggedNull() {
        #expect(throws: PlanError.self) { try PlanLoader.load(text: Self.plan(revision: "!!null r2")) }
    }
}
