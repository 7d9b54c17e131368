import BenchCore
import BenchStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestTiming

/// The coordinator's live status page (`--http`), served by a real coordinator mid-collection and opened in headless
/// Chromium as a person would: no console message, the progress and one agents row per connected agent in the
/// rendered DOM, and a screenshot under `.build/`. Without chromium the test skips (saying why), except with
/// `CI=true`, where it fails: `scripts/ci-setup.d/20-chromium.sh` installs it.
@Suite("Status page in headless Chromium", .serialized)
struct StatusPageBrowserTests {
    typealias Browser = HTMLReportBrowserTests

    /// `/status` as JSON.
    static func status(_ port: Int) async throws -> [String: Any] {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/status"))
        let (data, _) = try await URLSession.shared.data(from: url)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("mid-collection: rendered without console messages, the progress, one agents row per connected agent",
          .enabled(if: Browser.available, "chromium is not installed (scripts/ci-setup.d/20-chromium.sh installs it)"))
    func liveStatusPage() async throws {
        let chromium = try Browser.browser()
        // The trainer never answers /train: each agent's two slots stay busy, so the collection is deterministically
        // mid-way (4 of 18 jobs in flight, none done) for as long as the test looks at it.
        let cluster = try await Cluster(agents: ["agent-1", "agent-2"], trainerArguments: ["--fault", "train-hang"])
        let plan = try cluster.plan("days: 2\njob_gap_seconds: 0\ntimeout_seconds: 36000\n")
        let (coordinator, port) = try await cluster.startCoordinator(plan: plan, extra: ["--http", "127.0.0.1:0"])
        defer { coordinator.signal(SIGTERM) }
        let prefix = "status page listening on http://127.0.0.1:"
        let line = try #require(await coordinator.waitForLine(timeout: .seconds(60)) { $0.contains(prefix) },
                                "no status line:\n\(coordinator.text)")
        let range = try #require(line.range(of: prefix))
        let statusPort = try #require(Int(line[range.upperBound...].prefix { $0.isNumber }))

        let agents = try ["agent-1", "agent-2"].map { try cluster.startAgent($0, port: port) }
        defer { for agent in agents { agent.signal(SIGTERM) } }
        _ = try await DistributedCollectionTests.waitForStatus(cluster) { $0.assigned == 4 }
        var connected = 0
        let deadline = ContinuousClock.now + TestTiming.scaled(.seconds(60))
        while connected != 2 && ContinuousClock.now < deadline {
            connected = try await Self.status(statusPort)["agents_connected"] as? Int ?? 0
            if connected != 2 { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(connected == 2, "both agents connected")

        let page = "http://127.0.0.1:\(statusPort)/"
        let dom = try await chromium.run(url: page, arguments: ["--dump-dom"], profile: cluster.dir.file("dom"))
        #expect(dom.consoleLines.isEmpty, "console: \(dom.consoleLines)")
        let html = dom.stdout
        let progress = try Browser.element("p", id: "progress", in: html)
        #expect(progress.contains("<strong>0 of 18 jobs done</strong>") && progress.contains("4 in flight"),
                "\(progress)")
        #expect(html.contains("id=\"progress-bar\""))
        let table = try Browser.element("table", id: "agents", in: html)
        #expect(Browser.occurrences(of: "<tr class=\"agent\">", in: table) == connected)
        for name in ["agent-1", "agent-2"] {
            #expect(table.contains("<td>\(name)</td><td>2</td>"), "\(name) with its two slots in flight: \(table)")
        }

        let screenshot = Browser.buildDirectory + "/status-page.png"
        try? FileManager.default.removeItem(atPath: screenshot)
        let shot = try await chromium.run(
            url: page, arguments: ["--screenshot=\(screenshot)", "--window-size=1100,900", "--hide-scrollbars"],
            profile: cluster.dir.file("shot"))
        #expect(shot.consoleLines.isEmpty, "console: \(shot.consoleLines)")
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG: \(screenshot)")
    }
}

extension HTMLReportBrowserTests {
    /// The rendered `<tag id="id" …>…</tag>` (the first closing tag after it; for elements that do not nest).
    static func element(_ tag: String, id: String, in dom: String) throws -> Substring {
        let start = try #require(dom.range(of: "<\(tag) id=\"\(id)\""), "no <\(tag) id=\"\(id)\"> in the DOM")
        let end = try #require(dom.range(of: "</\(tag)>", range: start.upperBound..<dom.endIndex))
        return dom[start.lowerBound..<end.upperBound]
    }
}
