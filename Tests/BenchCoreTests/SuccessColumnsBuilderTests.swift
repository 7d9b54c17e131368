import BenchCore
import Foundation
import Testing

/// A report of 10^6 rows makes the successful jobs' columns while it reads the rows, one builder per part of the
/// rows, joined in order. The joined columns must be the columns of all the rows made in one pass, field for
/// field (the sums and percentiles depend on row order), including whether the job types never decrease.
@Suite("Baseline report: columns made in parts")
struct SuccessColumnsBuilderTests {
    static func metric(_ index: Int, _ type: String, _ country: String, success: Bool = true) -> BaselineMetric {
        var metric = ReportTests.metric(type, 50 + index, 2, minutes: Double(index % 17) + 0.25 * Double(index % 3),
                                        success: success)
        metric.country = country
        return metric
    }

    /// Field-by-field equality of two column sets.
    static func same(_ a: BaselineReport.SuccessColumns, _ b: BaselineReport.SuccessColumns) -> Bool {
        func same(_ x: BaselineReport.SuccessColumns.Columns, _ y: BaselineReport.SuccessColumns.Columns) -> Bool {
            x.durationMinutes == y.durationMinutes && x.cpuHours == y.cpuHours && x.memoryGBHours == y.memoryGBHours
                && x.costEstimate == y.costEstimate && x.sortedDurationMinutes == y.sortedDurationMinutes
        }
        return same(a.all, b.all) && a.byType.keys.sorted() == b.byType.keys.sorted()
            && a.byType.allSatisfy { type, columns in b.byType[type].map { same(columns, $0) } ?? false }
            && a.durationsByCountry == b.durationsByCountry && a.typesMonotonic == b.typesMonotonic
            && a.count == b.count
    }

    /// The rows cut into parts at `cuts`, a builder per part (its durations sorted in the part when
    /// `sortParts`, so the join merges them; some parts sorted and some not when `sortParts` is nil), joined.
    /// With `inRounds`, the parts are joined by ``BaselineReport/SuccessColumns/Builder/joined(_:)`` (pairwise, in
    /// rounds), else one after the other.
    static func joined(_ rows: [BaselineMetric], cuts: [Int], sortParts: Bool?, inRounds: Bool = false)
        -> BaselineReport.SuccessColumns
    {
        var parts: [BaselineReport.SuccessColumns.Builder] = []
        var start = 0
        for (index, end) in (cuts + [rows.count]).enumerated() {
            var part = BaselineReport.SuccessColumns.Builder()
            for row in rows[start..<end] { part.append(row) }
            if sortParts ?? index.isMultiple(of: 2) { part.sortDurations() }
            parts.append(part)
            start = end
        }
        if inRounds { return BaselineReport.SuccessColumns.Builder.joined(parts).build() }
        var joined = BaselineReport.SuccessColumns.Builder()
        for part in parts { joined.append(contentsOf: part) }
        return joined.build()
    }

    static let countries = ["us", "uk", "de", "fr"]

    @Test("parts joined in order are the columns of all the rows", arguments: [
        [], [0], [5], [5, 5, 5], [1, 2, 3, 40, 59], [60], [7, 14, 21, 28, 35, 42, 49], [3, 9, 20, 21, 22, 30, 44, 50, 58],
    ])
    func joinedEqualsWhole(cuts: [Int]) {
        // Types in blocks (never decreasing), every fifth row failed, countries rotating.
        // Durations that go up and down within and across parts, so a merge that drops or misorders shows.
        let rows = (0..<60).map { index in
            Self.metric(index, ["large", "medium", "small"][index / 20], Self.countries[index % 4],
                        success: index % 5 != 4)
        }
        let whole = BaselineReport.SuccessColumns(rows)
        #expect(whole.typesMonotonic)
        for sortParts in [true, false, nil] {
            for inRounds in [false, true] {
                #expect(Self.same(Self.joined(rows, cuts: cuts, sortParts: sortParts, inRounds: inRounds), whole),
                        "parts sorted: \(String(describing: sortParts)), joined in rounds: \(inRounds)")
            }
        }
    }

    @Test("a decrease of the job type is seen inside a part and across a join", arguments: [
        // Each part in order but the second starts below where the first ended.
        ([("medium", true), ("small", true), ("large", true)], [2]),
        // The decrease hides behind a failed row at the end of the first part.
        ([("medium", true), ("small", false), ("large", true)], [2]),
        // Inside one part.
        ([("small", true), ("large", true), ("medium", true)], [1]),
        // An empty part between two parts in order: still in order.
        ([("large", true), ("medium", true), ("small", true)], [1, 1]),
        // Four parts: the decrease is where the joined pairs meet (the second round of joining in rounds).
        ([("large", true), ("medium", true), ("large", true), ("small", true)], [1, 2, 3]),
        // Five parts in order, one empty, the last left over in the first round.
        ([("large", true), ("large", true), ("medium", true), ("small", true), ("small", true)], [1, 1, 3, 4]),
    ])
    func monotonicAcrossJoins(rows: [(String, Bool)], cuts: [Int]) {
        let metrics = rows.enumerated().map { index, row in
            Self.metric(index, row.0, "us", success: row.1)
        }
        let whole = BaselineReport.SuccessColumns(metrics)
        for inRounds in [false, true] {
            #expect(Self.same(Self.joined(metrics, cuts: cuts, sortParts: true, inRounds: inRounds), whole))
            #expect(Self.same(Self.joined(metrics, cuts: cuts, sortParts: false, inRounds: inRounds), whole))
        }
    }
}
