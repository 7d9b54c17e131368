import BenchCore
import Foundation
import Testing

@Suite("Exports of A/B collections")
struct TargetExportTests {
    static func metric(_ target: String?, job: String = "baseline-1-1-fr") -> BaselineMetric {
        BaselineMetric(
            timestamp: Date(timeIntervalSince1970: 1_767_225_600), jobID: job, jobType: "small", iterations: 50,
            trials: 2, country: "fr", durationMinutes: 1.5, cpuHours: 0.1, memoryGBHours: 0.4, costEstimate: 0.01,
            success: true, errorMessage: nil, attempt: 1, agent: "local", httpStatus: 200, durationMs: 90_000,
            target: target)
    }

    @Test("the seed JSON of an A/B collection has a target key on every row; pandas-style readers see both sides")
    func seedJSONWithTarget() throws {
        let text = MetricsExport.seedJSON([Self.metric("baseline"), Self.metric("candidate")])
        let items = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(items.map { $0["target"] as? String } == ["baseline", "candidate"])
        for item in items { #expect(Set(item.keys) == Set(MetricsExport.seedKeys + ["target"])) }
        #expect(text.contains("\"error_message\": null,\n    \"target\": \"baseline\"\n"))
    }

    @Test("the seed JSON of a one-target collection is exactly the seed's keys, no target")
    func seedJSONWithoutTarget() throws {
        let text = MetricsExport.seedJSON([Self.metric(nil)])
        #expect(!text.contains("target"))
        let items = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(Set(items[0].keys) == Set(MetricsExport.seedKeys))
    }

    @Test("the CSV has a target column: the side, or empty for one target")
    func csvTargetColumn() throws {
        #expect(MetricsExport.csvColumns.last == "target")
        let lines = MetricsExport.csv([Self.metric("candidate"), Self.metric(nil)]).split(
            separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1].hasSuffix(",candidate"))
        #expect(lines[2].hasSuffix(","))
        #expect(lines[1].split(separator: ",", omittingEmptySubsequences: false).count
                == MetricsExport.csvColumns.count)
    }
}
