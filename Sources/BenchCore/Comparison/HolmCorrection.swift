/// Holm's step-down correction of a family of p-values (controls the family-wise error rate under any dependence,
/// which matters here: the rows of a comparison overlap). As `statsmodels.stats.multitest.multipletests(method="holm")`:
/// sorted ascending, p_(i) is multiplied by (m − i + 1), made non-decreasing, and capped at 1.
public enum HolmCorrection {
    /// Adjusted p-values in the input's order; nil entries (rows without a test) stay nil and do not count in m.
    public static func adjust(_ pValues: [Double?]) -> [Double?] {
        let tested = pValues.indices.filter { pValues[$0] != nil }
        let order = tested.sorted { (pValues[$0] ?? 1) < (pValues[$1] ?? 1) }
        let m = order.count
        var adjusted = [Double?](repeating: nil, count: pValues.count)
        var running = 0.0
        for (position, index) in order.enumerated() {
            let value = Swift.min(1, Double(m - position) * (pValues[index] ?? 1))
            running = Swift.max(running, value)
            adjusted[index] = running
        }
        return adjusted
    }
}
