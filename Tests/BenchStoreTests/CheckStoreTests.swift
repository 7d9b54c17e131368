import BenchCore
import BenchStore
import Foundation
import Testing

@Suite("Store: check suite runs and outcomes")
struct CheckStoreTests {
    static let started = Date(timeIntervalSince1970: 1_740_823_200)

    static func outcome(_ kind: CheckKind, _ status: CheckStatus = .pass, share: CheckShare? = nil,
                        samples: [CheckRequestSample] = [], agent: String? = nil) -> CheckOutcome {
        CheckOutcome(check: kind, status: status, durationSeconds: 0.5, startedAt: started,
                     reason: status == .pass ? nil : "because", samples: samples, share: share, agent: agent)
    }

    @Test("a standalone report is stored whole and read back equal; without a collection it has none")
    func standalone() throws {
        let database = try TemporaryDatabase()
        let store = try BenchStore(path: database.path)
        let report = TestSuiteReport(
            suiteRunID: "s-1", phase: .standalone, target: "http://127.0.0.1:9", startedAt: Self.started,
            outcomes: CheckKind.allCases.filter { $0 != .rollback }
                .map { Self.outcome($0, $0 == .health ? .fail : .pass) },
            disabled: [.rollback])
        try store.recordTestSuiteReport(report, collectionID: nil, settings: CheckSettings())
        let runs = try store.suiteRuns(collectionID: nil)
        #expect(runs.map(\.id) == ["s-1"])
        #expect(runs.first?.completedAt != nil)
        #expect(try store.testSuiteReport(for: #require(runs.first)) == report)
        #expect(try store.latestTestSuiteReports(collectionID: nil) == [report])
        #expect(throws: StoreError.self) {
            try store.recordTestSuiteReport(report, collectionID: nil, settings: CheckSettings())
        }
    }

    @Test("shares from two agents are stored once each and combined with the run's settings")
    func shares() throws {
        let database = try TemporaryDatabase()
        let store = try BenchStore(path: database.path)
        let (collection, _) = try store.openCollection(plan: Plan(days: 1), forceNew: false)
        var settings = CheckSettings()
        settings.loadHandling.requests = 4
        let run = CheckSuiteRun(id: "s-2", collectionID: collection.id, phase: .after, target: "http://t",
                                startedAt: Self.started, settings: settings)
        try store.beginSuiteRun(run)
        try store.beginSuiteRun(run)
        func share(_ index: Int, agent: String) throws -> CheckOutcome {
            let share = try CheckShare(index: index, count: 2)
            let samples = share.requestIDs(total: 4).map {
                CheckRequestSample(requestID: $0, result: .succeeded, httpStatus: 200, startOffsetMs: 0,
                                   durationMs: 10, detail: nil)
            }
            return Self.outcome(.loadHandling, share: share, samples: samples, agent: agent)
        }
        #expect(try store.recordCheckOutcome(suiteRunID: "s-2", share(0, agent: "a1")))
        #expect(try store.recordCheckOutcome(suiteRunID: "s-2", share(1, agent: "a2")))
        #expect(try !store.recordCheckOutcome(suiteRunID: "s-2", share(1, agent: "a2")), "a resend is not stored twice")
        #expect(try store.recordCheckOutcome(suiteRunID: "s-2", Self.outcome(.health)))
        try store.completeSuiteRun(id: "s-2")

        #expect(try store.checkOutcomes(suiteRunID: "s-2").count == 3)
        let reports = try store.latestTestSuiteReports(collectionID: collection.id)
        let report = try #require(reports.first)
        #expect(reports.count == 1 && report.phase == .after)
        #expect(report.outcomes.map(\.check) == [.health, .loadHandling])
        let load = try #require(report.outcomes.last)
        #expect(load.status == .pass)
        #expect(load.samples.map(\.requestID) == [0, 1, 2, 3])
        #expect(Set(load.samples.compactMap(\.agent)) == ["a1", "a2"])

        #expect {
            try store.recordCheckOutcome(suiteRunID: "s-unknown", Self.outcome(.health))
        } throws: { error in
            (error as? StoreError)?.kind == .unknownSuiteRun
        }
    }

    @Test("report writes the newest run of each phase: test_report_before.* and test_report_after.*")
    func reportFiles() throws {
        let database = try TemporaryDatabase()
        let store = try BenchStore(path: database.path)
        let (collection, _) = try store.openCollection(plan: Plan(days: 1), forceNew: false)
        let out = database.directory + "/reports"
        #expect(try ReportWriter(store: store).write(to: out).files.allSatisfy { !$0.contains("test_report") },
                "no suite run, no test report")
        for (id, phase, status) in [("s-a", CheckPhase.before, CheckStatus.fail), ("s-b", .after, .fail),
                                    ("s-c", .after, .pass)] {
            let report = TestSuiteReport(suiteRunID: id, phase: phase, target: "http://t",
                                         startedAt: Self.started.addingTimeInterval(id == "s-c" ? 60 : 0),
                                         outcomes: [Self.outcome(.health, status)])
            try store.recordTestSuiteReport(report, collectionID: collection.id, settings: CheckSettings())
        }
        let files = try ReportWriter(store: store).write(to: out).files.map { ($0 as NSString).lastPathComponent }
        #expect(files.filter { $0.hasPrefix("test_report") } == [
            "test_report_before.md", "test_report_before.junit.xml", "test_report_before.json",
            "test_report_after.md", "test_report_after.junit.xml", "test_report_after.json",
        ])
        let after = try String(contentsOfFile: out + "/test_report_after.md", encoding: .utf8)
        #expect(after.contains("- **Suite run**: s-c (after)"), "the newest run of the phase")
        #expect(after.contains("### ✅ test_01_health_endpoint_response"))
    }
}
