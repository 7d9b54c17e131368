import Foundation

/// Every attempt of a collection as a bar in its agent's lane, on a ``TimelineAxis`` (idle stretches collapsed to
/// labelled bands). Bars are coloured by outcome (`succeeded`, `failed`, `expired`, `abandoned`, `released`,
/// `running`); re-dispatched attempts (attempt > 1) carry the class `redispatch` and an outline.
///
/// Up to `maxBars` attempts each is one `<rect class="attempt …">` (concurrent attempts of an agent on sub-rows).
/// Beyond, the lanes are aggregated: each agent's lane is cut into columns of `binWidth` pixels and each column
/// with attempts starting in it is one `<rect class="attempt-bin">` whose shade and `data-count` give the number;
/// failed and lost attempts and re-dispatches are still drawn one by one on top (up to `maxMarked`, then binned in
/// their own colour too), so what went wrong stays visible however large the collection.
struct SVGTimeline {
    let id: String
    let attempts: [AttemptSpan]
    /// The attempts' agents (``AttemptAgents``), one lane each.
    let agents: AttemptAgents
    /// End of the running attempts' bars.
    let now: Date
    var maxBars = 4000
    var maxMarked = 2000
    var binWidth = 3.0

    private let width = 1000.0
    private let left = 130.0
    private let right = 12.0
    private let top = 26.0
    private let laneGap = 6.0

    /// Whether the timeline draws one bar per attempt (false: aggregated).
    var drawsEveryAttempt: Bool { attempts.count <= maxBars }

    func render() -> HTMLFragment {
        let intervals = attempts.map { span in
            (span.start.timeIntervalSince1970, (span.end ?? max(now, span.start)).timeIntervalSince1970)
        }
        let axis = TimelineAxis(intervals: intervals, x0: left, x1: width - right)
        var lanes: [(agent: String, y: Double, height: Double, body: String)] = []
        var y = top
        for (agent, indices) in zip(agents.names, agents.attemptsByAgent()) {
            let (body, height) = drawsEveryAttempt
                ? bars(indices, intervals: intervals, axis: axis, y: y)
                : bins(indices, intervals: intervals, axis: axis, y: y)
            lanes.append((agent, y, height, body))
            y += height + laneGap
        }
        let height = y + 30
        var svg = "<svg class=\"chart timeline\" id=\"\(HTMLFragment.escape(id))\" role=\"img\" "
        svg.reserveCapacity((drawsEveryAttempt ? attempts.count : maxMarked) * 140 + 4096)
        svg += "viewBox=\"0 0 \(px(width)) \(px(height))\" aria-label=\"attempts per agent over time\">"
        svg += "<title>Attempts per agent over time</title>"
        let labels = Self.laneLabels(lanes.map(\.agent))
        for lane in lanes {
            svg += "<g class=\"lane\" data-agent=\"\(HTMLFragment.escape(lane.agent))\">"
            svg += "<rect class=\"lane-bg\" x=\"\(px(left))\" y=\"\(px(lane.y))\" "
            svg += "width=\"\(px(width - right - left))\" "
            svg += "height=\"\(px(lane.height))\"/>"
            svg += "<text class=\"lane-label\" x=\"\(px(left - 8))\" y=\"\(px(lane.y + lane.height / 2))\" "
            svg += "text-anchor=\"end\" dy=\"0.32em\">\(HTMLFragment.escape(labels[lane.agent] ?? lane.agent))"
            svg += "<title>\(HTMLFragment.escape(lane.agent))</title></text>"
            svg += lane.body + "</g>"
        }
        // Bands and day lines over the lane backgrounds (no attempt runs inside a band, by construction).
        svg += gapBands(axis: axis, height: y)
        svg += dayMarkers(axis: axis, height: y)
        svg += timeLabels(axis: axis, y: y + 14, intervals: intervals)
        svg += "</svg>"
        return HTMLFragment(markup: svg)
    }

    /// One bar per attempt; concurrent attempts of the agent on sub-rows (at most 8, then they overlap).
    private func bars(_ indices: [Int], intervals: [(Double, Double)], axis: TimelineAxis, y: Double)
        -> (String, Double) {
        let order = indices.sorted { intervals[$0].0 < intervals[$1].0 }
        var rowEnds: [Double] = []
        var rows: [Int: Int] = [:]
        for index in order {
            let start = intervals[index].0
            if let free = rowEnds.firstIndex(where: { $0 <= start }) {
                rows[index] = free
                rowEnds[free] = intervals[index].1
            } else if rowEnds.count < 8 {
                rows[index] = rowEnds.count
                rowEnds.append(intervals[index].1)
            } else {
                let earliest = rowEnds.indices.min { rowEnds[$0] < rowEnds[$1] } ?? 0
                rows[index] = earliest
                rowEnds[earliest] = max(rowEnds[earliest], intervals[index].1)
            }
        }
        let rowHeight = 10.0
        let height = max(Double(rowEnds.count) * (rowHeight + 2) + 2, 16)
        var body = ""
        // Failures, lost attempts and re-dispatches last, so a short one is never hidden under its neighbour.
        let drawing = order.filter { !Self.isMarked(attempts[$0]) } + order.filter { Self.isMarked(attempts[$0]) }
        for index in drawing {
            let span = attempts[index]
            let x0 = axis.x(intervals[index].0)
            let x1 = max(axis.x(intervals[index].1), x0 + (Self.isMarked(span) ? 3 : 1.5))
            let barY = y + 2 + Double(rows[index] ?? 0) * (rowHeight + 2)
            body += "<rect class=\"attempt \(span.outcome.rawValue)\(span.attempt > 1 ? " redispatch" : "")\" "
            body += "x=\"\(px(x0))\" y=\"\(px(barY))\" width=\"\(px(x1 - x0))\" height=\"\(px(rowHeight))\">"
            body += "<title>\(HTMLFragment.escape(describe(span, intervals[index])))</title></rect>"
        }
        return (body, height)
    }

    /// Columns of `binWidth` pixels, shaded by the number of attempts starting in them; failures, lost attempts
    /// and re-dispatches drawn one by one on top (up to `maxMarked`).
    private func bins(_ indices: [Int], intervals: [(Double, Double)], axis: TimelineAxis, y: Double)
        -> (String, Double) {
        let height = 16.0
        var counts: [Int: Int] = [:]
        var marked: [Int] = []
        var markedCounts: [Int: Int] = [:]
        for index in indices {
            let column = Int((axis.x(intervals[index].0) - left) / binWidth)
            counts[column, default: 0] += 1
            // The fields, not a copy of the span (four strings retained and released per attempt).
            if Self.isMarked(outcome: attempts[index].outcome, attempt: attempts[index].attempt) {
                marked.append(index)
                markedCounts[column, default: 0] += 1
            }
        }
        let peak = Double(counts.values.max() ?? 1)
        var body = ""
        for column in counts.keys.sorted() {
            let count = counts[column] ?? 0
            let opacity = 0.25 + 0.75 * Double(count) / peak
            body += "<rect class=\"attempt-bin\" data-count=\"\(count)\" x=\"\(px(left + Double(column) * binWidth))\" "
            body += "y=\"\(px(y + 2))\" width=\"\(px(binWidth))\" height=\"\(px(height - 4))\" "
            body += "fill-opacity=\"\(String(format: "%.2f", opacity))\"/>"
        }
        if marked.count <= maxMarked {
            for index in marked {
                let span = attempts[index]
                let x0 = axis.x(intervals[index].0)
                let x1 = max(axis.x(intervals[index].1), x0 + 1.5)
                body += "<rect class=\"attempt \(span.outcome.rawValue)\(span.attempt > 1 ? " redispatch" : "")\" "
                body += "x=\"\(px(x0))\" y=\"\(px(y + 4))\" width=\"\(px(x1 - x0))\" height=\"\(px(height - 8))\">"
                body += "<title>\(HTMLFragment.escape(describe(span, intervals[index])))</title></rect>"
            }
        } else {
            for column in markedCounts.keys.sorted() {
                body += "<rect class=\"attempt-bin marked\" data-count=\"\(markedCounts[column] ?? 0)\" "
                body += "x=\"\(px(left + Double(column) * binWidth))\" y=\"\(px(y + 4))\" width=\"\(px(binWidth))\" "
                body += "height=\"\(px(height - 8))\"/>"
            }
        }
        return (body, height)
    }

    /// Attempts drawn on top and never aggregated away: failed, lost, released, running or re-dispatched.
    static func isMarked(_ span: AttemptSpan) -> Bool {
        isMarked(outcome: span.outcome, attempt: span.attempt)
    }

    /// ``isMarked(_:)`` of an attempt's outcome and number.
    static func isMarked(outcome: AttemptSpan.Outcome, attempt: Int) -> Bool {
        outcome != .succeeded || attempt > 1
    }

    private func describe(_ span: AttemptSpan, _ interval: (Double, Double)) -> String {
        let seconds = interval.1 - interval.0
        return "\(span.jobID) attempt \(span.attempt) on \(span.agent): \(span.outcome.rawValue), "
            + "\(Self.clock(interval.0)) UTC, \(DurationUnit.number(seconds)) s"
    }

    private func gapBands(axis: TimelineAxis, height: Double) -> String {
        var svg = ""
        for gap in axis.gaps {
            let idle = gap.end.timeIntervalSince(gap.start)
            let middle = (gap.x0 + gap.x1) / 2
            svg += "<g class=\"gap\"><rect class=\"gap-band\" x=\"\(px(gap.x0 + 2))\" y=\"\(px(top - 4))\" "
            svg += "width=\"\(px(gap.x1 - gap.x0 - 4))\" height=\"\(px(height - top + 4))\"/>"
            svg += "<text class=\"gap-label\" transform=\"translate(\(px(middle)) \(px(top + 4))) rotate(90)\">"
            svg += "idle \(HTMLFragment.escape(Self.length(idle)))</text></g>"
        }
        return svg
    }

    private func dayMarkers(axis: TimelineAxis, height: Double) -> String {
        var firstStart: [Int: Double] = [:]
        for span in attempts {
            let start = span.start.timeIntervalSince1970
            firstStart[span.day] = min(firstStart[span.day] ?? start, start)
        }
        guard firstStart.count > 1 else { return "" }
        var svg = ""
        var lastLabelX = -Double.infinity
        for (day, start) in firstStart.sorted(by: { $0.key < $1.key }) {
            let position = axis.x(start)
            let x = px(position)
            svg += "<g class=\"day\"><line class=\"day-line\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(px(top - 14))\" "
            svg += "y2=\"\(px(height))\"/>"
            // Every day keeps its line; its label only where it does not run into the previous one.
            if position - lastLabelX >= Self.dayLabelSpacing {
                lastLabelX = position
                svg += "<text class=\"day-label\" x=\"\(x)\" y=\"\(px(top - 16))\" dx=\"3\">day \(day)</text>"
            }
            svg += "</g>"
        }
        return svg
    }

    /// Start times under the axis at the start of each busy segment, skipping labels that would overlap.
    private func timeLabels(axis: TimelineAxis, y: Double, intervals: [(Double, Double)]) -> String {
        guard let first = intervals.map(\.0).min() else { return "" }
        var starts = [first]
        starts += axis.gaps.map { $0.end.timeIntervalSince1970 }
        var svg = ""
        var lastX = -Double.infinity
        for start in starts {
            let x = axis.x(start)
            guard x - lastX >= 90 else { continue }
            lastX = x
            svg += "<text class=\"time-label\" x=\"\(px(x))\" y=\"\(px(y))\">\(Self.clock(start))</text>"
        }
        return svg
    }

    /// `MM-dd HH:mm:ss` in UTC.
    static func clock(_ seconds: Double) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.month, .day, .hour, .minute, .second],
                                            from: Date(timeIntervalSince1970: seconds))
        return String(format: "%02d-%02d %02d:%02d:%02d", parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
                      parts.minute ?? 0, parts.second ?? 0)
    }

    /// A length of time in the unit that suits it: `7.2 s`, `12.5 min`, `4.0 h`.
    static func length(_ seconds: Double) -> String {
        DurationUnit.suiting(typicalMinutes: seconds / 60).format(minutes: seconds / 60)
    }

    /// Pixels between two day labels (`day 123` is about 40 px wide).
    static let dayLabelSpacing = 48.0

    /// The lane label of each agent: without the domain every agent shares (`agent-1.example.internal` ->
    /// `agent-1` when all end in `.example.internal`), then ``short(_:)``; the full name is the label's tooltip.
    static func laneLabels(_ agents: [String]) -> [String: String] {
        var common: Substring?
        if agents.count > 1, let first = agents.first, let dot = first.firstIndex(of: ".") {
            var suffix = first[dot...]
            for agent in agents.dropFirst() {
                while !suffix.isEmpty && !agent.hasSuffix(suffix) {
                    suffix = suffix.dropFirst().drop { $0 != "." }
                }
            }
            // Only whole dotted labels, and never the whole of a name.
            if !suffix.isEmpty && agents.allSatisfy({ $0.count > suffix.count }) { common = suffix }
        }
        var labels: [String: String] = [:]
        for agent in agents {
            labels[agent] = short(common.map { String(agent.dropLast($0.count)) } ?? agent)
        }
        return labels
    }

    /// Agent names longer than the label column keep their end (host names differ at the end more often).
    static func short(_ agent: String) -> String {
        agent.count <= 18 ? agent : "…" + agent.suffix(17)
    }
}
