import BenchCore
import BenchStore
import Foundation
import Testing

/// The HTML report of a real collection, opened in headless Chromium as a person would: rendered without a console
/// message, with the charts' SVG elements present in the rendered DOM in the right numbers, and a screenshot under
/// `.build/` to look at. Without chromium the tests skip (saying why), except with `CI=true`, where they fail:
/// `scripts/ci-setup.d/20-chromium.sh` installs it.
@Suite("HTML report in headless Chromium", .serialized)
struct HTMLReportBrowserTests {
    static let chromium = HeadlessChromium.find()
    static let available = chromium != nil || HeadlessChromium.inCI

    static func browser() throws -> HeadlessChromium {
        try #require(chromium, "chromium not found on PATH with CI=true: scripts/ci-setup.d/20-chromium.sh installs it")
    }

    /// `.build/` of the package under test (beside the test bundle).
    static var buildDirectory: String {
        var url = URL(fileURLWithPath: ChildProcess.mmmbenchPath).deletingLastPathComponent()
        while url.path != "/" && url.lastPathComponent != ".build" { url = url.deletingLastPathComponent() }
        return url.lastPathComponent == ".build" ? url.path : FileManager.default.temporaryDirectory.path
    }

    static func occurrences(of needle: String, in text: some StringProtocol) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The rendered `<svg>` element with this id.
    static func chart(_ id: String, in dom: String) throws -> Substring {
        let start = try #require(dom.range(of: "id=\"\(id)\""), "no chart \(id) in the rendered DOM")
        let end = try #require(dom.range(of: "</svg>", range: start.upperBound..<dom.endIndex))
        return dom[start.lowerBound..<end.upperBound]
    }

    @Test("a real collection's report renders without console messages, one box per job type, one bar per attempt",
          .enabled(if: available, "chromium is not installed (scripts/ci-setup.d/20-chromium.sh installs it)"))
    func collectionReport() async throws {
        let chromium = try Self.browser()
        let cluster = try await Cluster(agents: ["agent-1", "agent-2"],
                                        trainerArguments: ["--work-scale", "0.02", "--fault", "train-error-every=7"])
        let plan = try cluster.plan("days: 2\njob_gap_seconds: 0\nday_gap_seconds: 300\n")
        let (coordinator, port) = try await cluster.startCoordinator(plan: plan, extra: ["--time-scale", "0.01"])
        let agents = try ["agent-1", "agent-2"].map { try cluster.startAgent($0, port: port) }
        #expect(await coordinator.waitForExit(timeout: .seconds(300)) == 0, "coordinator:\n\(coordinator.text)")
        for agent in agents { _ = await agent.waitForExit(timeout: .seconds(30)) }

        let store = try cluster.store()
        let collection = try #require(try store.currentCollection())
        let metrics = try store.countedMetrics(collectionID: collection.id)
        let attempts = try store.attemptSpans(collectionID: collection.id)
        #expect(metrics.count == 18)
        #expect(metrics.contains { !$0.success }, "the trainer's fault should have failed some jobs")
        let report = cluster.reportDir + "/" + ReportWriter.htmlName

        let dom = try await chromium.run(file: report, arguments: ["--dump-dom"], profile: cluster.dir.file("dom"))
        #expect(dom.consoleLines.isEmpty, "console: \(dom.consoleLines)")
        let types = Set(metrics.filter(\.success).map(\.jobType))
        let boxes = try Self.chart("box-job-type", in: dom.stdout)
        #expect(Self.occurrences(of: "<rect class=\"box\"", in: boxes) == types.count)
        #expect(Self.occurrences(of: "<circle class=\"point", in: boxes) == metrics.filter(\.success).count)
        let timeline = try Self.chart("timeline-chart", in: dom.stdout)
        #expect(Self.occurrences(of: "<rect class=\"attempt ", in: timeline) == attempts.count)
        #expect(Self.occurrences(of: "<rect class=\"attempt failed", in: timeline)
            == attempts.filter { $0.outcome == .failed }.count)
        #expect(Self.occurrences(of: "<g class=\"lane\"", in: timeline) == 2)
        let costs = try Self.chart("bar-cost", in: dom.stdout)
        #expect(Self.occurrences(of: "<rect class=\"bar\"", in: costs) == types.count)

        let screenshot = Self.buildDirectory + "/report.png"
        try? FileManager.default.removeItem(atPath: screenshot)
        let shot = try await chromium.run(
            file: report, arguments: ["--screenshot=\(screenshot)", "--window-size=1280,2000", "--hide-scrollbars"],
            profile: cluster.dir.file("shot"))
        #expect(shot.consoleLines.isEmpty, "console: \(shot.consoleLines)")
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG: \(screenshot)")
        #expect(png.count > 20_000, "a 1280x2000 screenshot of the report is more than a blank page")
    }

    @Test("the console check sees a page's script error (so an empty list means something)",
          .enabled(if: available, "chromium is not installed (scripts/ci-setup.d/20-chromium.sh installs it)"))
    func consoleCheckSeesErrors() async throws {
        let chromium = try Self.browser()
        let dir = try TemporaryDirectory()
        let page = dir.file("broken.html")
        try "<!DOCTYPE html><html><body><p>x</p><script>notDefinedAnywhere();</script></body></html>"
            .write(toFile: page, atomically: true, encoding: .utf8)
        let output = try await chromium.run(file: page, arguments: ["--dump-dom"], profile: dir.file("profile"))
        #expect(output.consoleLines.contains { $0.contains("Uncaught ReferenceError") }, "log:\n\(output.log)")
    }
}
