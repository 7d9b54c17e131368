import Foundation

/// The targets an optimization is judged against, and the confidence level of every interval.
///
/// The seed's targets are the defaults: duration at least 40 % lower, success rate at least 95 %, cost per job at
/// least 20 % lower. A plan's `validation:` section overrides them, `--target` flags override the plan. A nil
/// target is not judged.
public struct ComparisonTargets: Sendable, Equatable, Codable {
    /// Required change of the duration in % (negative = faster), judged on the interval of the overall change.
    public var durationChangePercent: Double?
    /// Required success rate of the candidate in %, judged on its Wilson interval.
    public var minSuccessRatePercent: Double?
    /// Required change of the cost per job in %, judged on the interval of the overall change.
    public var costChangePercent: Double?
    /// Confidence level of every interval (and 1 − confidence is the significance level of every test).
    public var confidence: Double

    public init(durationChangePercent: Double? = -40, minSuccessRatePercent: Double? = 95,
                costChangePercent: Double? = -20, confidence: Double = 0.95)
    {
        self.durationChangePercent = durationChangePercent
        self.minSuccessRatePercent = minSuccessRatePercent
        self.costChangePercent = costChangePercent
        self.confidence = confidence
    }

    /// The seed's targets at 95 % confidence.
    public static let seedDefaults = ComparisonTargets()

    enum CodingKeys: String, CodingKey, CaseIterable {
        case durationChangePercent = "duration_change_percent"
        case minSuccessRatePercent = "min_success_rate_percent"
        case costChangePercent = "cost_change_percent"
        case confidence
    }

    /// Encodes every key, an unset target as `null` (so a stored plan reads back with that target off).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(durationChangePercent, forKey: .durationChangePercent)
        try container.encode(minSuccessRatePercent, forKey: .minSuccessRatePercent)
        try container.encode(costChangePercent, forKey: .costChangePercent)
        try container.encode(confidence, forKey: .confidence)
    }

    /// Applies one `--target NAME=VALUE` flag: `duration=-40%`, `success=95%`, `cost=-20%` (the `%` is optional),
    /// or `NAME=off` to not judge that target.
    public mutating func apply(flag: String) throws(ComparisonError) {
        let parts = flag.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[1].isEmpty else {
            throw ComparisonError(.usage, "--target \(flag): expected NAME=VALUE, e.g. duration=-40%")
        }
        let value: Double?
        if parts[1] == "off" {
            value = nil
        } else {
            let number = parts[1].hasSuffix("%") ? String(parts[1].dropLast()) : parts[1]
            guard let parsed = Double(number), parsed.isFinite else {
                throw ComparisonError(.usage, "--target \(flag): '\(parts[1])' is not a number of percent")
            }
            value = parsed
        }
        switch parts[0] {
        case "duration": durationChangePercent = try Self.checkedChange(value, flag: flag)
        case "cost": costChangePercent = try Self.checkedChange(value, flag: flag)
        case "success":
            if let value, !(0...100).contains(value) {
                throw ComparisonError(.usage, "--target \(flag): a success rate is between 0% and 100%")
            }
            minSuccessRatePercent = value
        default:
            throw ComparisonError(.usage,
                                  "--target \(flag): unknown target '\(parts[0])' (known: duration, success, cost)")
        }
    }

    /// Checks a confidence level (strictly between 0.5 and 1).
    public static func checkedConfidence(_ value: Double) throws(ComparisonError) -> Double {
        guard value > 0.5, value < 1 else {
            throw ComparisonError(.usage, "confidence \(value): must be between 0.5 and 1 (e.g. 0.95)")
        }
        return value
    }

    private static func checkedChange(_ value: Double?, flag: String) throws(ComparisonError) -> Double? {
        if let value, value <= -100 {
            throw ComparisonError(.usage, "--target \(flag): a change must be above -100%")
        }
        return value
    }
}
