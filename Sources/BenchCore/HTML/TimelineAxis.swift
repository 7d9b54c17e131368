import Foundation

/// The time axis of the attempt timeline: linear while something runs, with every idle stretch longer than a
/// threshold (a day gap, a coordinator outage) collapsed to a fixed narrow band, so short jobs stay visible next to
/// hours of pause and the pause is still shown (and labelled with its length).
struct TimelineAxis {
    /// An idle stretch drawn as a band.
    struct Gap {
        let start: Date
        let end: Date
        let x0: Double
        let x1: Double
    }

    /// Monotonic (time, x) breakpoints; x is linear between two of them.
    private(set) var points: [(time: Double, x: Double)] = []
    private(set) var gaps: [Gap] = []
    let x0: Double
    let x1: Double

    static let gapWidth = 30.0

    /// An axis over `intervals` (start, end in seconds) drawn from `x0` to `x1`. An idle stretch is collapsed when
    /// it is longer than `max(1 s, 3 x the 90th percentile attempt length, 5 % of the whole span)`.
    init(intervals: [(Double, Double)], x0: Double, x1: Double) {
        self.x0 = x0
        self.x1 = x1
        let sorted = intervals.sorted { $0.0 < $1.0 }
        guard let first = sorted.first else {
            points = [(0, x0), (1, x1)]
            return
        }
        let lengths = sorted.map { max($0.1 - $0.0, 0) }.sorted()
        let span = max((sorted.map(\.1).max() ?? first.1) - first.0, 0)
        let threshold = max(1, 3 * SummaryStatistics.percentile(lengths, 90), 0.05 * span)
        // Busy segments: the union of the intervals, split where the idle time exceeds the threshold.
        var segments: [(Double, Double)] = []
        var current = (first.0, max(first.1, first.0))
        for interval in sorted.dropFirst() {
            if interval.0 - current.1 > threshold {
                segments.append(current)
                current = (interval.0, max(interval.1, interval.0))
            } else {
                current.1 = max(current.1, interval.1)
            }
        }
        segments.append(current)
        let gapCount = Double(segments.count - 1)
        let busy = segments.reduce(0) { $0 + ($1.1 - $1.0) }
        let available = max(x1 - x0 - gapCount * Self.gapWidth, 10)
        // A segment gets its share of the width; an instantaneous one still gets a few pixels.
        let minimum = min(4, available / Double(segments.count))
        let perSecond = busy > 0 ? max(available - minimum * Double(segments.count), 0) / busy : 0
        var x = x0
        for (index, segment) in segments.enumerated() {
            if index > 0 {
                let previous = segments[index - 1]
                gaps.append(Gap(start: Date(timeIntervalSince1970: previous.1),
                                end: Date(timeIntervalSince1970: segment.0), x0: x, x1: x + Self.gapWidth))
                x += Self.gapWidth
            }
            points.append((segment.0, x))
            x += minimum + (segment.1 - segment.0) * perSecond
            points.append((segment.1, x))
        }
    }

    /// The x of a time (clamped to the axis).
    func x(_ time: Double) -> Double {
        guard let first = points.first, let last = points.last else { return x0 }
        if time <= first.time { return first.x }
        if time >= last.time { return last.x }
        var low = 0
        var high = points.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if points[middle].time <= time { low = middle } else { high = middle }
        }
        let a = points[low]
        let b = points[high]
        guard b.time > a.time else { return a.x }
        return a.x + (time - a.time) / (b.time - a.time) * (b.x - a.x)
    }
}
