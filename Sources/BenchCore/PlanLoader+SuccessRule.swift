import Yams

/// Reads the plan's `success_rule` (docs/plan.md, "What counts as success").
extension PlanNodeReader {
    /// The rule; nil for the default (`http_200`), so a plan that names the default equals one that does not.
    static func successRule(_ node: Node, path: String) throws -> SuccessRule? {
        let text = try string(node, path: path)
        guard let rule = SuccessRule(rawValue: text) else {
            throw PlanError(path: path, reason: "must be one of "
                + SuccessRule.allCases.map(\.rawValue).joined(separator: ", ") + ", got '\(text)'")
        }
        return rule == .default ? nil : rule
    }
}
