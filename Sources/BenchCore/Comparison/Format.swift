import Foundation

/// Number formats shared by the comparison's renderers.
enum Format {
    /// `-48.2%`, `+3.0%`.
    static func signedPercent(_ value: Double) -> String {
        String(format: "%+.1f%%", value)
    }

    /// `96.3%`.
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value) }

    /// `-3.7 pp`.
    static func signedPoints(_ value: Double) -> String { String(format: "%+.1f pp", value) }

    /// `0.003`, `4.1e-06`, `1`.
    static func pValue(_ value: Double) -> String {
        if value >= 1 { return "1" }
        if value >= 0.001 { return String(format: "%.3f", value) }
        return String(format: "%.1e", value)
    }

    /// A duration in minutes as `4.3 s`, `12.50 min` or `2.41 h`.
    static func duration(minutes: Double?) -> String {
        guard let minutes else { return "-" }
        if minutes < 1 { return String(format: "%.2f s", minutes * 60) }
        if minutes < 120 { return String(format: "%.2f min", minutes) }
        return String(format: "%.2f h", minutes / 60)
    }

    /// `$0.0123`.
    static func dollars(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: "$%.4f", value)
    }
}
