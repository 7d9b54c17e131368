import Foundation

/// A linear map from data values to pixels with "nice" tick values (1, 2 or 5 times a power of ten), from zero to
/// at least the largest value.
struct ChartScale: Sendable {
    let maxValue: Double
    let pixels: Double
    let ticks: [Double]

    /// A scale from 0 to a nice value at or above `maximum`, over `pixels` pixels, with about `tickCount` ticks.
    init(maximum: Double, pixels: Double, tickCount: Int = 5) {
        let top = maximum.isFinite && maximum > 0 ? maximum : 1
        let rough = top / Double(max(tickCount, 1))
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        let count = Int((top / step).rounded(.up))
        maxValue = step * Double(max(count, 1))
        self.pixels = pixels
        ticks = (0...max(count, 1)).map { Double($0) * step }
    }

    /// The pixel offset of `value` (0 at zero, `pixels` at `maxValue`), clamped to the scale.
    func position(_ value: Double) -> Double {
        guard value.isFinite else { return 0 }
        return min(max(value / maxValue, 0), 1) * pixels
    }
}

/// Coordinates printed with at most one decimal, so the SVG stays small.
func px(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    // "%.1f" of a value with one decimal, by integer arithmetic (String(format:) was 8% of a coordinator's CPU when
    // it wrote the HTML report of a 20,000-job collection: a box plot draws every point).
    let tenths = Int((value * 10).rounded())
    return (tenths < 0 ? "-" : "") + String(tenths.magnitude / 10) + "." + String(tenths.magnitude % 10)
}
