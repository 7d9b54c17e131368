import BenchStore
import Foundation
import Testing

/// An A/B collection of two real trainers (the candidate doing half the work), then `mmmbench report --format html`
/// and `mmmbench compare --out`, both pages opened in headless Chromium: no console message, both sides' boxes and
/// the forest plots present in the rendered DOM, screenshots under `.build/`.
@Suite("A/B report and comparison.html in headless Chromium", .serialized)
struct ComparisonBrowserTests {
    typealias Browser = HTMLReportBrowserTests

    @Test("the A/B report shows both sides and the forest plot; comparison.html renders verdict, plot and tables",
          .enabled(if: Browser.available, "chromium is not installed (scripts/ci-setup.d/20-chromium.sh installs it)"))
    func abReportAndComparison() async throws {
        let chromium = try Browser.browser()
        let dir = try TemporaryDirectory()
        let (baseline, baselineURL) = try await startTrainer(["--work-scale", "0.02"])
        let (candidate, candidateURL) = try await startTrainer(["--work-scale", "0.01"])
        defer {
            baseline.signal(SIGTERM)
            candidate.signal(SIGTERM)
        }
        try """
            days: 1
            job_gap_seconds: 0
            targets: {baseline: "\(baselineURL)", candidate: "\(candidateURL)"}

            """.write(toFile: dir.file("ab.yaml"), atomically: true, encoding: .utf8)
        let db = dir.file("ab.sqlite")
        let collect = try ChildProcess(["collect", "--plan", dir.file("ab.yaml"), "--db", db, "--time-scale", "0"])
        #expect(await collect.waitForExit(timeout: .seconds(300)) == 0, "\(collect.text)")
        let report = try ChildProcess(["report", "--db", db, "--out", dir.file("out"), "--format", "html"])
        #expect(await report.waitForExit(timeout: .seconds(120)) == 0, "\(report.text)")
        let compare = try ChildProcess(["compare", db, "--out", dir.file("out"), "--target", "success=80%"])
        #expect(await compare.waitForExit(timeout: .seconds(120)) != 64, "\(compare.text)")
        #expect(compare.text.contains("wrote \(dir.file("out/comparison.html"))"), "\(compare.text)")

        let store = try BenchStore(path: db)
        let collection = try #require(try store.currentCollection())
        let metrics = try store.countedMetrics(collectionID: collection.id)
        let types = Set(metrics.filter(\.success).map(\.jobType))
        #expect(types.count == 3, "the seed's three job types")

        let reportPage = dir.file("out/" + ReportWriter.htmlName)
        let reportDOM = try await chromium.run(file: reportPage, arguments: ["--dump-dom"], profile: dir.file("r"))
        #expect(reportDOM.consoleLines.isEmpty, "console: \(reportDOM.consoleLines)")
        let boxes = try Browser.chart("box-job-type", in: reportDOM.stdout)
        #expect(Browser.occurrences(of: "<g class=\"group baseline\"", in: boxes) == types.count)
        #expect(Browser.occurrences(of: "<g class=\"group candidate\"", in: boxes) == types.count)
        #expect(Browser.occurrences(of: "<circle class=\"point", in: boxes) == metrics.filter(\.success).count)
        let embedded = try Browser.chart("ab-forest-duration", in: reportDOM.stdout)
        #expect(Browser.occurrences(of: "<g class=\"row ", in: embedded) == types.count + 1)

        let comparisonPage = dir.file("out/comparison.html")
        let dom = try await chromium.run(file: comparisonPage, arguments: ["--dump-dom"], profile: dir.file("c"))
        #expect(dom.consoleLines.isEmpty, "console: \(dom.consoleLines)")
        let verdict = try #require(dom.stdout.range(of: "<div id=\"verdict\" class=\"verdict "))
        #expect(verdict.lowerBound < (dom.stdout.range(of: "<svg")?.lowerBound ?? dom.stdout.startIndex))
        for id in ["forest-duration", "forest-success", "forest-cost"] {
            let chart = try Browser.chart(id, in: dom.stdout)
            #expect(Browser.occurrences(of: "<g class=\"row ", in: chart) == types.count + 1, "\(id)")
            #expect(Browser.occurrences(of: "<line class=\"target-line\"", in: chart) == 1, "\(id)")
        }

        for (page, name) in [(reportPage, "report-ab.png"), (comparisonPage, "comparison.png")] {
            let screenshot = Browser.buildDirectory + "/" + name
            try? FileManager.default.removeItem(atPath: screenshot)
            let shot = try await chromium.run(
                file: page, arguments: ["--screenshot=\(screenshot)", "--window-size=1280,2000", "--hide-scrollbars"],
                profile: dir.file("shot-\(name)"))
            #expect(shot.consoleLines.isEmpty, "console: \(shot.consoleLines)")
            let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
            #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "not a PNG: \(screenshot)")
        }
    }
}
