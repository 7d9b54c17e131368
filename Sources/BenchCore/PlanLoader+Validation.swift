import Yams

/// Reads the plan's `validation` section: the targets `compare` judges against (docs/plan.md, docs/compare.md).
///
/// ```yaml
/// validation:
///   duration_change_percent: -40    # at least 40 % faster
///   min_success_rate_percent: 95
///   cost_change_percent: null       # not judged
///   confidence: 0.95
/// ```
/// A missing key keeps the seed's target; `null` turns that target off.
extension PlanNodeReader {
    static func validation(_ node: Node, path: String) throws -> ComparisonTargets? {
        if node.tagName == .null { return nil }
        var targets = ComparisonTargets.seedDefaults
        let allowed = ComparisonTargets.CodingKeys.allCases.map(\.rawValue)
        for (key, value) in try mapping(node, path: path, allowed: allowed) {
            let keyPath = "\(path).\(key)"
            let number: Double? = value.tagName == .null ? nil : try double(value, path: keyPath)
            switch ComparisonTargets.CodingKeys(rawValue: key) {
            case .durationChangePercent:
                targets.durationChangePercent = try change(number, path: keyPath)
            case .costChangePercent:
                targets.costChangePercent = try change(number, path: keyPath)
            case .minSuccessRatePercent:
                if let number, !(0...100).contains(number) {
                    throw PlanError(path: keyPath, reason: "must be between 0 and 100, got \(number)")
                }
                targets.minSuccessRatePercent = number
            case .confidence:
                guard let number, number > 0.5, number < 1 else {
                    throw PlanError(path: keyPath, reason: "must be a number between 0.5 and 1 (e.g. 0.95)")
                }
                targets.confidence = number
            case nil: break  // `mapping` already rejected unknown keys
            }
        }
        return targets
    }

    private static func change(_ number: Double?, path: String) throws -> Double? {
        if let number, number <= -100 {
            throw PlanError(path: path, reason: "a change must be above -100 (percent), got \(number)")
        }
        return number
    }
}
