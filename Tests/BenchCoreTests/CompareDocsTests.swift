import BenchCore
import Foundation
import Testing

/// The fenced code blocks of a markdown file, with their language.
struct MarkdownBlocks {
    let blocks: [(language: String, text: String)]

    init(_ markdown: String) {
        var blocks: [(String, String)] = []
        var language: String?
        var lines: [String] = []
        for line in markdown.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                if let current = language {
                    blocks.append((current, lines.joined(separator: "\n")))
                    language = nil
                } else {
                    language = String(line.dropFirst(3))
                    lines = []
                }
            } else if language != nil {
                lines.append(line)
            }
        }
        self.blocks = blocks
    }

    static func docs(_ name: String) throws -> MarkdownBlocks {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/\(name)")
        return MarkdownBlocks(try String(contentsOf: url, encoding: .utf8))
    }

    func of(_ language: String) -> [String] { blocks.filter { $0.language == language }.map(\.text) }
}

@Suite("docs/compare.md and docs/plan.md examples")
struct CompareDocsTests {
    @Test("plan.md's validation example sets what its comments say")
    func planExample() throws {
        let blocks = try MarkdownBlocks.docs("plan.md").of("yaml").filter { $0.contains("validation:") }
        #expect(blocks.count == 1)
        let plan = try PlanLoader.load(text: try #require(blocks.first))
        #expect(plan.validation == ComparisonTargets(durationChangePercent: -45, minSuccessRatePercent: 95,
                                                     costChangePercent: nil, confidence: 0.9))
        // Stored and read back (canonical JSON), the plan keeps its targets, the one turned off included.
        #expect(try Plan.fromCanonicalJSON(plan.canonicalJSON()) == plan)
        #expect(try PlanLoader.load(text: "days: 1\n").validation == nil)
    }

    @Test("compare.md's phase plan loads with the seed's targets")
    func phasePlan() throws {
        let blocks = try MarkdownBlocks.docs("compare.md").of("yaml")
        #expect(blocks.count == 1)
        let plan = try PlanLoader.load(text: try #require(blocks.first))
        #expect(plan.validation == .seedDefaults)
        #expect(plan.days == 3 && plan.jobGapSeconds == 30)
    }

    @Test("every --target and --confidence in compare.md's commands is accepted")
    func commandFlags() throws {
        let commands = try MarkdownBlocks.docs("compare.md").of("sh")
            .flatMap { $0.components(separatedBy: "\n") }.filter { $0.hasPrefix("mmmbench compare ") }
        #expect(commands.count >= 6)
        for command in commands where !command.contains("BASELINE") {
            let words = command.components(separatedBy: " ").filter { !$0.isEmpty }
            var targets = ComparisonTargets.seedDefaults
            for (index, word) in words.enumerated() where word == "--target" {
                try targets.apply(flag: words[index + 1])
            }
        }
    }

    @Test("compare.md's comparison.json example has the keys comparison.json has")
    func jsonExample() throws {
        let example = try #require(try MarkdownBlocks.docs("compare.md").of("json").first)
        let documented = try #require(try JSONSerialization.jsonObject(with: Data(example.utf8)) as? [String: Any])
        let jobs = ComparisonFixtures.jobs()
        let result = try Comparison.compare(ComparisonFixtures.input(
            ComparisonFixtures.side(jobs, scale: 1, seed: 1), ComparisonFixtures.side(jobs, scale: 0.5, seed: 2)))
        let rendered = try #require(try JSONSerialization.jsonObject(
            with: Data(ComparisonJSON.render(result).utf8)) as? [String: Any])
        #expect(Set(documented.keys) == Set(rendered.keys))
        #expect(documented["schema"] as? String == ComparisonJSON.schema)
        let documentedRows = try #require(documented["rows"] as? [[String: Any]])
        let renderedRows = try #require(rendered["rows"] as? [[String: Any]])
        let documentedOverall = try #require(documentedRows.first)
        let renderedOverall = try #require(renderedRows.first)
        #expect(Set(documentedOverall.keys) == Set(renderedOverall.keys))
        for key in ["baseline", "duration", "success", "cost_per_job"] {
            let documentedKeys = Set((documentedOverall[key] as? [String: Any])?.keys.map { $0 } ?? [])
            let renderedKeys = Set((renderedOverall[key] as? [String: Any])?.keys.map { $0 } ?? [])
            #expect(documentedKeys == renderedKeys, "\(key)")
        }
        let judgement = try #require((documented["judgements"] as? [[String: Any]])?.first)
        let renderedJudgement = try #require((rendered["judgements"] as? [[String: Any]])?.first)
        #expect(Set(judgement.keys) == Set(renderedJudgement.keys))
    }
}
