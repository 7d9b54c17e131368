import BenchCore
import Foundation
import Testing

/// `comparison.html`: verdict first, a forest plot per target drawn against its target line, the tables, escaped and
/// self-contained.
@Suite("Comparison HTML and forest plot")
struct ComparisonHTMLTests {
    typealias F = ComparisonFixtures

    static func occurrences(of needle: String, in text: some StringProtocol) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The markup of the `<svg>` with this id.
    static func chart(_ id: String, in html: String) throws -> Substring {
        let start = try #require(html.range(of: "id=\"\(id)\""), "no chart \(id)")
        let end = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
        return html[start.lowerBound..<end.upperBound]
    }

    /// The `<g class="row …">` of a forest plot with this label, and its class.
    static func row(_ label: String, in chart: Substring) throws -> (placement: String, markup: Substring) {
        let marker = try #require(chart.range(of: "\" data-label=\"\(label)\">"), "no row \(label)")
        let open = try #require(chart.range(of: "<g class=\"row ", options: .backwards,
                                             range: chart.startIndex..<marker.lowerBound))
        let end = try #require(chart.range(of: "</g>", range: marker.upperBound..<chart.endIndex))
        return (String(chart[open.upperBound..<marker.lowerBound]), chart[open.lowerBound..<end.upperBound])
    }

    static func number(_ attribute: String, in markup: some StringProtocol) throws -> Double {
        let start = try #require(markup.range(of: " \(attribute)=\""), "no \(attribute)")
        let digits = markup[start.upperBound...].prefix { $0 != "\"" }
        return try #require(Double(digits), "\(attribute)=\(digits)")
    }

    /// Duration passes (twice as fast), success inconclusive (27/27 < 95 % lower bound), cost off.
    static func passingDuration() throws -> ComparisonReport {
        let jobs = F.jobs()
        var targets = ComparisonTargets.seedDefaults
        targets.costChangePercent = nil
        return try Comparison.compare(F.input(F.side(jobs, scale: 1, seed: 1), F.side(jobs, scale: 0.5, seed: 2),
                                              targets: targets))
    }

    @Test("the verdict comes first, then the targets, the forest plot and the tables")
    func verdictFirst() throws {
        let result = try Self.passingDuration()
        let html = ComparisonHTML.render(result)
        let verdict = try #require(html.range(of: "<div id=\"verdict\" class=\"verdict inconclusive\">"))
        #expect(html[verdict.upperBound...].hasPrefix("<span class=\"word\">INCONCLUSIVE</span>"))
        let order = ["id=\"verdict\"", "id=\"targets\"", "id=\"forest\"", "id=\"table\""].map {
            html.range(of: $0)?.lowerBound
        }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "verdict, targets, forest, table")
        #expect(html.range(of: "<table")?.lowerBound ?? html.endIndex > verdict.lowerBound)
        // Every row of the comparison is a row of each of the three tables.
        for id in ["duration-table", "success-table", "cost-table"] {
            let start = try #require(html.range(of: "id=\"\(id)\""))
            let end = try #require(html.range(of: "</table>", range: start.upperBound..<html.endIndex))
            #expect(Self.occurrences(of: "<tr>", in: html[start.upperBound..<end.lowerBound]) == result.rows.count + 1)
        }
    }

    @Test("one forest row per job type and overall, an interval and a dot each, on the right side of the target")
    func forestRowsAgainstTarget() throws {
        let result = try Self.passingDuration()
        let html = ComparisonHTML.render(result)
        let typeRows = result.rows.filter { $0.scope != .typeCountry }
        #expect(typeRows.count == 4, "overall and the seed's three job types")
        let duration = try Self.chart("forest-duration", in: html)
        #expect(Self.occurrences(of: "<g class=\"row ", in: duration) == typeRows.count)
        #expect(Self.occurrences(of: "<line class=\"interval\"", in: duration) == typeRows.count)
        #expect(Self.occurrences(of: "<circle class=\"estimate\"", in: duration) == typeRows.count)
        #expect(Self.occurrences(of: "<line class=\"target-line\"", in: duration) == 1)
        #expect(Self.occurrences(of: "<line class=\"reference-line\"", in: duration) == 1)
        let targetX = try Self.number("x1", in: try #require(duration.range(of: "<line class=\"target-line\"")
            .map { duration[$0.lowerBound...] }))
        let zeroX = try Self.number("x1", in: try #require(duration.range(of: "<line class=\"reference-line\"")
            .map { duration[$0.lowerBound...] }))
        #expect(targetX < zeroX, "-40 % is left of 0 %")
        for row in typeRows {
            let change = try #require(row.duration)
            let (_, markup) = try Self.row(row.label, in: duration)
            let cx = try Self.number("cx", in: markup)
            #expect((cx < targetX) == (change.changePercent < -40), "\(row.label): \(change.changePercent) %")
            #expect(try Self.number("x1", in: markup) <= cx && cx <= (try Self.number("x2", in: markup)))
        }
        // The cost target is off: its panel has rows and no target line.
        let cost = try Self.chart("forest-cost", in: html)
        #expect(Self.occurrences(of: "<line class=\"target-line\"", in: cost) == 0)
        #expect(Self.occurrences(of: "<g class=\"row untargeted\"", in: cost) == typeRows.count)
    }

    @Test("the overall row is coloured by the verdict's rule: meets = pass, misses = fail, straddles = inconclusive")
    func overallPlacementMatchesJudgement() throws {
        let jobs = F.jobs()
        var targets = ComparisonTargets.seedDefaults
        targets.costChangePercent = nil
        let results = [
            try Self.passingDuration(),
            try Comparison.compare(F.input(F.side(jobs, scale: 1, seed: 1),
                                           F.side(jobs, scale: 1.4, seed: 2, failing: [3]), targets: targets)),
            try Comparison.compare(F.input(F.side(jobs, scale: 1, seed: 1),
                                           F.side(jobs, scale: 0.6, seed: 2, amplitude: 0.3), targets: targets)),
        ]
        let expected: [TargetJudgement.Outcome: String] = [.pass: "meets", .fail: "misses", .inconclusive: "straddles"]
        var seen: Set<String> = []
        for result in results {
            let html = ComparisonHTML.render(result)
            for judgement in result.judgements {
                let id = judgement.name == .duration ? "forest-duration" : "forest-success"
                let placement = try Self.row("overall", in: try Self.chart(id, in: html)).placement
                #expect(placement == expected[judgement.outcome], "\(judgement.name): \(judgement.explanation)")
                seen.insert(placement)
            }
        }
        #expect(seen == ["meets", "misses", "straddles"], "the fixtures cover the three placements: \(seen)")
    }

    @Test("labels from the inputs are escaped and the page loads nothing")
    func escapedAndSelfContained() throws {
        let jobs = F.jobs()
        let input = ComparisonInput(
            baseline: ComparisonSide(label: "<script>alert(1)</script>.json", metrics: F.side(jobs, scale: 1, seed: 1)),
            candidate: ComparisonSide(label: "cand\"><img src=x>", metrics: F.side(jobs, scale: 0.5, seed: 2)))
        let html = ComparisonHTML.render(try Comparison.compare(input))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.json"))
        #expect(SelfContainedHTML.violations(html).isEmpty, "\(SelfContainedHTML.violations(html))")
    }
}

/// What makes a page not self-contained: a tag that loads or runs something, an attribute that loads or handles an
/// event, a `url(` in an attribute or the stylesheet, `@import` or `@font-face`.
enum SelfContainedHTML {
    static func violations(_ html: String) -> [String] {
        var found: [String] = []
        guard let tagPattern = try? Regex(#"<([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>"#),
              let attribute = try? Regex(#"([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*"([^"]*)""#),
              let stylePattern = try? Regex(#"<style>([^<]*)</style>"#)
        else { return ["pattern did not compile"] }
        let forbiddenTags: Set = ["script", "link", "iframe", "object", "embed", "img", "image", "use", "base"]
        let loadingAttributes: Set = ["src", "href", "xlink:href", "srcset", "action", "formaction", "poster"]
        for tag in html.matches(of: tagPattern) {
            let name = (tag.output[1].substring ?? "").lowercased()
            if forbiddenTags.contains(name) { found.append("<\(name)>") }
            for match in (tag.output[2].substring ?? "").matches(of: attribute) {
                let key = (match.output[1].substring ?? "").lowercased()
                let value = (match.output[2].substring ?? "").lowercased()
                if loadingAttributes.contains(key) || key.hasPrefix("on") || value.contains("url(") {
                    found.append("<\(name) \(key)=\"\(value)\">")
                }
            }
        }
        for style in html.matches(of: stylePattern) {
            let css = (style.output[1].substring ?? "").lowercased()
            if css.contains("url(") || css.contains("@import") || css.contains("@font-face") {
                found.append("stylesheet loads something")
            }
        }
        return found
    }
}
