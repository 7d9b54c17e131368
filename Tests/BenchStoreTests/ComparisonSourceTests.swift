import BenchCore
import BenchStore
import Foundation
import Testing

@Suite("compare inputs: databases, our exports, the seed script's JSON, and bad files")
struct ComparisonSourceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("BenchCoreTests/Fixtures")

    static func metrics() -> [BaselineMetric] {
        Plan(days: 1).expandJobs().enumerated().map { index, job in
            let start = Date(timeIntervalSince1970: 1_767_225_600.25 + Double(index) * 60)
            return index == 4
                ? .failure(job: job, startedAt: start, durationMs: 900, httpStatus: 500, attempt: 1, agent: "a",
                           error: "HTTP 500: \"boom\", ünïcode")
                : .success(job: job, startedAt: start, durationMs: 1000 + Double(index) * 250, httpStatus: 200,
                           attempt: 1, agent: "a", costModel: CostModel())
        }
    }

    static func write(_ text: String, _ name: String, in db: borrowing TemporaryDatabase) throws -> String {
        let path = db.directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("our JSON export reads back with every seed field, failed rows included")
    func ourJSON() throws {
        let db = try TemporaryDatabase()
        let path = try Self.write(MetricsExport.seedJSON(Self.metrics()), "baseline_metrics.json", in: db)
        let loaded = try ComparisonSourceLoader.load(path)
        #expect(loaded.kind == .json && loaded.label == path)
        let original = Self.metrics()
        #expect(loaded.metrics.count == original.count)
        for (read, written) in zip(loaded.metrics, original) {
            #expect(read.jobID == written.jobID && read.jobType == written.jobType && read.country == written.country)
            #expect(read.success == written.success && read.errorMessage == written.errorMessage)
            #expect(read.durationMinutes == written.durationMinutes && read.costEstimate == written.costEstimate)
            #expect(abs(read.timestamp.timeIntervalSince1970 - written.timestamp.timeIntervalSince1970) < 1e-6)
        }
    }

    @Test("our CSV export reads back, quoted fields and all")
    func ourCSV() throws {
        let db = try TemporaryDatabase()
        let path = try Self.write(MetricsExport.csv(Self.metrics()), "baseline_metrics.csv", in: db)
        let loaded = try ComparisonSourceLoader.load(path)
        #expect(loaded.kind == .csv)
        #expect(loaded.metrics.map(\.jobID) == Self.metrics().map(\.jobID))
        #expect(loaded.metrics[4].errorMessage == "HTTP 500: \"boom\", ünïcode")
        #expect(loaded.metrics[4].success == false && loaded.metrics[4].httpStatus == 500)
        #expect(loaded.metrics.map(\.durationMs) == Self.metrics().map(\.durationMs))
    }

    @Test("a target column or key (A/B exports) is kept, so one export of an A/B collection compares alone")
    func targetColumn() throws {
        let db = try TemporaryDatabase()
        let csv = "job_id,job_type,country,success,duration_minutes,target\n"
            + "j1,small,fr,True,1.0,baseline\nj1,small,fr,True,0.5,candidate\n"
        let path = try Self.write(csv, "ab.csv", in: db)
        let loaded = try ComparisonSourceLoader.load(path)
        #expect(loaded.metrics.map(\.target) == ["baseline", "candidate"])
        #expect(Comparison.isABCollection(loaded.metrics))
        let request = ComparisonRequest(baseline: path, candidate: nil, targetFlags: ["cost=off"])
        let input = try request.input()
        #expect(input.fromABCollection && input.baseline.label == "\(path) (baseline)")
    }

    @Test("a baseline_metrics.json written by the seed's own collect_baseline.py is accepted as is")
    func seedScriptJSON() throws {
        let path = Self.fixtures.appendingPathComponent("seed_baseline_metrics.json").path
        let loaded = try ComparisonSourceLoader.load(path)
        #expect(loaded.kind == .json)
        #expect(loaded.metrics.count == 9)
        #expect(Set(loaded.metrics.map(\.jobType)) == ["small", "medium", "large"])
        let failed = loaded.metrics.filter { !$0.success }
        #expect(!failed.isEmpty, "the fixture was collected with a failing trainer request")
        for metric in failed {
            #expect(metric.durationMinutes == 0 && metric.errorMessage?.hasPrefix("HTTP 500") == true)
        }
        #expect(loaded.metrics.filter(\.success).allSatisfy { $0.durationMinutes > 0 && $0.errorMessage == nil })
    }

    @Test("a database: the newest collection, or one named FILE#ID; measurements in matrix order with target")
    func database() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        let first = try store.openCollection(plan: Plan(days: 1), forceNew: false).collection
        try Self.collect(store, collectionID: first.id, scale: 1)
        let second = try store.openCollection(plan: Plan(days: 1), forceNew: true,
                                              now: Date().addingTimeInterval(10)).collection
        try Self.collect(store, collectionID: second.id, scale: 2)
        let newest = try ComparisonSourceLoader.load(db.path)
        #expect(newest.kind == .database && newest.label == "\(db.path)#\(second.id)")
        #expect(newest.metrics.map(\.jobID) == Plan(days: 1).expandJobs().map(\.id))
        let named = try ComparisonSourceLoader.load("\(db.path)#\(first.id)")
        #expect(named.metrics.first?.durationMs == 1000)
        #expect(newest.metrics.first?.durationMs == 2000)
        do throws(ComparisonError) {
            _ = try ComparisonSourceLoader.load("\(db.path)#c-nope")
            Issue.record("no error")
        } catch {
            #expect(error.message.contains("no collection c-nope"))
            #expect(error.message.contains(first.id) && error.message.contains(second.id))
        }
    }

    static func collect(_ store: BenchStore, collectionID: String, scale: Double) throws {
        for _ in 0..<100 {
            guard let lease = try store.leaseNextJob(collectionID: collectionID, agent: "a", leaseSeconds: 60,
                                                     dayGapSeconds: 0).lease
            else { return }
            let metric = BaselineMetric.success(job: lease.job, startedAt: Date(), durationMs: 1000 * scale,
                                                httpStatus: 200, attempt: lease.attempt, agent: "a",
                                                costModel: CostModel())
            _ = try store.recordResult(collectionID: collectionID, ResultSubmission(
                jobID: lease.job.id, attempt: lease.attempt, agent: "a", metric: metric))
        }
    }

    @Test("bad inputs are refused naming the file, row and field", arguments: [
        ("bad.json", "{not json", "not valid JSON"),
        ("object.json", "{\"job_id\": \"x\"}", "top level: expected a list"),
        ("missing.json", "[{\"job_id\": \"j\", \"job_type\": \"small\", \"country\": \"fr\", \"success\": true}]",
         "row 1, field duration_minutes: missing"),
        ("type.json", "[{\"job_id\": \"j\", \"job_type\": \"small\", \"country\": \"fr\", \"success\": true, "
            + "\"duration_minutes\": 1.5}, {\"job_id\": \"k\", \"job_type\": \"small\", \"country\": \"fr\", "
            + "\"success\": \"yes\", \"duration_minutes\": 1.5}]", "row 2, field success: expected true or false"),
        ("time.json", "[{\"job_id\": \"j\", \"job_type\": \"small\", \"country\": \"fr\", \"success\": true, "
            + "\"duration_minutes\": 1.5, \"timestamp\": \"yesterday\"}]", "row 1, field timestamp"),
        ("header.csv", "job_id,job_type,success,duration_minutes\nj,small,True,1.0\n", "no column 'country'"),
        ("number.csv", "job_id,job_type,country,success,duration_minutes\nj,small,fr,True,1.0\nk,small,fr,True,fast\n",
         "row 2, field duration_minutes: expected a number, got 'fast'"),
        ("fields.csv", "job_id,job_type,country,success,duration_minutes\nj,small,fr,True\n", "row 1 has 4 fields"),
        ("quote.csv", "job_id,job_type,country,success,duration_minutes\n\"j,small,fr,True,1\n", "never closed"),
        ("prose.txt", "hello\n", "not an mmmbench database"),
    ])
    func badInputs(name: String, content: String, expected: String) throws {
        let db = try TemporaryDatabase()
        let path = try Self.write(content, name, in: db)
        do throws(ComparisonError) {
            let loaded = try ComparisonSourceLoader.load(path)
            Issue.record("\(name) was accepted: \(loaded.metrics.count) metrics")
        } catch {
            #expect(error.kind == .malformed, "\(name): \(error)")
            #expect(error.message.hasPrefix(path), "\(name): \(error)")
            #expect(error.message.contains(expected), "\(error)")
        }
    }

    @Test("a missing file, and #ID on a JSON file, are refused")
    func missingFile() throws {
        let db = try TemporaryDatabase()
        #expect(throws: ComparisonError(.unreadable, "\(db.directory)/nope.json: no such file")) {
            try ComparisonSourceLoader.load(db.directory + "/nope.json")
        }
        let path = try Self.write("[]", "empty.json", in: db)
        #expect(throws: ComparisonError.self) { try ComparisonSourceLoader.load(path + "#c-1") }
        #expect(try ComparisonSourceLoader.load(path).metrics.isEmpty, "empty is read; compare refuses it")
    }

    @Test("targets: seed defaults, then the plan's validation section, then flags, then --confidence")
    func targets() throws {
        let db = try TemporaryDatabase()
        let plan = try Self.write("validation:\n  duration_change_percent: -45\n  cost_change_percent: null\n",
                                  "plan.yaml", in: db)
        let request = ComparisonRequest(baseline: "a", candidate: "b", planPath: plan,
                                        targetFlags: ["success=90%"], confidence: 0.9)
        #expect(try request.targets() == ComparisonTargets(durationChangePercent: -45, minSuccessRatePercent: 90,
                                                           costChangePercent: nil, confidence: 0.9))
        let bad = try Self.write("validation:\n  confidence: 2\n", "bad.yaml", in: db)
        #expect(throws: ComparisonError.self) {
            try ComparisonRequest(baseline: "a", candidate: "b", planPath: bad).targets()
        }
    }
}
