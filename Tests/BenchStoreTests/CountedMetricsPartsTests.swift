import BenchCore
@testable import BenchStore
import Foundation
import Testing

/// A report of many results reads its measurements in parts (ranges of job ordinals) on several cores: the parts,
/// concatenated in order, must be exactly the whole read, and the ranges must cover every ordinal once.
@Suite("Store: the measurements read in parts")
struct CountedMetricsPartsTests {
    let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("the ranges cover 0..<end once, in order", arguments: [0, 1, 7, 99_999, 100_000, 100_003, 1_000_000])
    func rangesCoverEveryOrdinal(end: Int) {
        let parts = ReportWriter.readParts(ordinalEnd: end)
        #expect(parts.count == (end < 100_000 ? 1 : 8))
        #expect(parts.first?.lowerBound == 0)
        #expect(parts.last?.upperBound == end)
        for (earlier, later) in zip(parts, parts.dropFirst()) {
            #expect(earlier.upperBound == later.lowerBound)
        }
        #expect(parts.map(\.count).reduce(0, +) == end)
    }

    @Test("parts of any size concatenate to the whole read: matrix order, failures, jobs without a result")
    func partsConcatenateToTheWhole() throws {
        let db = try TemporaryDatabase()
        let store = try BenchStore(path: db.path)
        defer { store.close() }
        // Countries whose ids sort against the plan's order, results committed in reverse, a third of the jobs
        // never measured: only the ordinal gives the order, and some ranges hold no result.
        let plan = Plan(days: 3, jobs: [JobConfig(type: "small", iterations: 1, trials: 1,
                                                 countries: ["zz", "mm", "aa", "qq", "bb"])])
        let (collection, _) = try store.openCollection(plan: plan, forceNew: false, now: t0)
        let id = collection.id
        let jobs = plan.expandJobs()
        let measured = jobs.enumerated().filter { $0.offset % 3 != 2 }.map { index, job in
            var metric = BaselineMetric.sample(job, attempt: 1, agent: "a", success: index % 4 != 0)
            metric.timestamp = t0 + Double(index)
            return metric
        }
        try store.commitInReverse(collectionID: id, jobs: jobs, metrics: measured, now: t0)

        let whole = try store.countedMetrics(collectionID: id)
        #expect(whole == measured)
        let end = try store.ordinalEnd(collectionID: id)
        #expect(end >= jobs.count)
        for size in [1, 2, 4, 7, end] {
            let parts = stride(from: 0, to: end, by: size).map { $0..<min($0 + size, end) }
            let read = try parts.flatMap { try Self.read(store, id, $0) }
            #expect(read == whole, "parts of \(size) ordinals")
        }
        #expect(try Self.read(store, id, end..<(end + 10)).isEmpty)
    }

    /// One part as the report reads it (`forEachCountedMetric`), collected.
    static func read(_ store: BenchStore, _ id: String, _ ordinals: Range<Int>) throws -> [BaselineMetric] {
        var metrics: [BaselineMetric] = []
        try store.forEachCountedMetric(collectionID: id, ordinals: ordinals) { metrics.append($0) }
        return metrics
    }
}
