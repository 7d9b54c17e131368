import Foundation

/// The unit a report shows durations in, chosen from the data so that typical values read as ordinary numbers:
/// seconds for jobs of under two minutes, minutes up to two hours, hours beyond.
public enum DurationUnit: String, Sendable, Equatable, CaseIterable {
    case seconds, minutes, hours

    /// The unit that suits durations whose typical (median) value is `typicalMinutes`.
    public static func suiting(typicalMinutes: Double) -> DurationUnit {
        if !(typicalMinutes >= 2) { return .seconds }
        return typicalMinutes < 120 ? .minutes : .hours
    }

    /// The unit that suits a sample of durations in minutes: by its median; seconds for an empty sample.
    public static func suiting(minutes: [Double]) -> DurationUnit {
        guard !minutes.isEmpty else { return .seconds }
        return suiting(sortedMinutes: minutes.sorted())
    }

    /// ``suiting(minutes:)`` of a sample already sorted ascending.
    public static func suiting(sortedMinutes: [Double]) -> DurationUnit {
        guard !sortedMinutes.isEmpty else { return .seconds }
        return suiting(typicalMinutes: SummaryStatistics.percentile(sortedMinutes, 50))
    }

    /// Short symbol: `s`, `min`, `h`.
    public var symbol: String {
        switch self {
        case .seconds: "s"
        case .minutes: "min"
        case .hours: "h"
        }
    }

    /// `minutes` expressed in this unit.
    public func value(minutes: Double) -> Double {
        switch self {
        case .seconds: minutes * 60
        case .minutes: minutes
        case .hours: minutes / 60
        }
    }

    /// `minutes` in this unit with enough decimals to tell typical values apart, and the symbol, e.g. `0.412 s`.
    public func format(minutes: Double) -> String {
        "\(Self.number(value(minutes: minutes))) \(symbol)"
    }

    /// A length of time in the unit that suits it: `7.20 s`, `12.5 min`, `4.00 h`.
    public static func length(seconds: Double) -> String {
        suiting(typicalMinutes: seconds / 60).format(minutes: seconds / 60)
    }

    /// A number with three significant digits for small values and one decimal for large ones (`0.0412`, `4.12`,
    /// `41.2`, `412.0`, `4120.0`).
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : "∞" }
        let magnitude = abs(value)
        let places: Int
        switch magnitude {
        case 0: places = 1
        case ..<0.01: places = 4
        case ..<0.1: places = 3
        case ..<10: places = 2
        default: places = 1
        }
        return String(format: "%.\(places)f", value)
    }
}

/// Amounts of money in USD with the precision that suits them: cents from a dollar up, three significant digits
/// below (`$0.00412`), so the tiny costs of short jobs do not all read `$0.00`.
public enum MoneyFormat {
    public static func usd(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let magnitude = abs(value)
        if magnitude == 0 || magnitude >= 1 { return String(format: "$%.2f", value) }
        let places = min(max(2, 2 - Int(floor(log10(magnitude)))), 8)
        return String(format: "$%.\(places)f", value)
    }
}
