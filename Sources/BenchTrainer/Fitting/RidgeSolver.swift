/// Ridge regression with per-column penalty and non-negativity, solved by coordinate descent on the Gram matrix.
///
/// This is the objective glmnet minimises with `alpha = 0` (as Robyn calls it), including its `lower.limits = 0`
/// for media and organic coefficients:
///
///     minimise  1/2 · βᵀGβ − bᵀβ + λ/2 · Σ_{j penalised} β_j²     subject to β_j ≥ 0 for constrained j
///
/// with `G = XᵀWX / Σw` and `b = XᵀWy / Σw` for row weights `W` (all ones for a plain fit, bootstrap counts for a
/// resample).
struct RidgeSolver {
    /// Columns of the design matrix (index 0 is the intercept).
    let columnCount: Int
    /// `true` where the coefficient must stay >= 0.
    let nonNegative: [Bool]
    /// `true` where the coefficient is penalised (everything but the intercept).
    let penalised: [Bool]

    /// Stop when no coefficient moves more than this in a sweep (on standardised data).
    static let tolerance = 1e-9
    /// Hard cap on sweeps, so a badly conditioned problem cannot loop for long.
    static let maxSweeps = 2_000

    /// The coefficients and the number of coordinate-descent sweeps they took.
    struct Solution {
        var coefficients: [Double]
        var sweeps: Int
    }

    /// Solves for `design` (column-major, `rows` rows) and `response`, with optional row `weights`, starting from
    /// `start` (a warm start) or zero.
    func solve(
        design: [Double],
        rows: Int,
        response: [Double],
        weights: [Double]?,
        lambda: Double,
        start: [Double]? = nil
    ) -> Solution {
        let p = columnCount
        var gram = [Double](repeating: 0, count: p * p)
        var xty = [Double](repeating: 0, count: p)
        var totalWeight = 0.0
        if let weights { for w in weights { totalWeight += w } } else { totalWeight = Double(rows) }
        guard totalWeight > 0 else { return Solution(coefficients: [Double](repeating: 0, count: p), sweeps: 0) }

        for j in 0..<p {
            let base = j * rows
            var sumY = 0.0
            for row in 0..<rows {
                let w = weights?[row] ?? 1
                sumY += w * design[base + row] * response[row]
            }
            xty[j] = sumY / totalWeight
            for k in j..<p {
                let other = k * rows
                var sum = 0.0
                for row in 0..<rows {
                    let w = weights?[row] ?? 1
                    sum += w * design[base + row] * design[other + row]
                }
                gram[j * p + k] = sum / totalWeight
                gram[k * p + j] = sum / totalWeight
            }
        }

        var beta = start ?? [Double](repeating: 0, count: p)
        // gBeta[k] = Σ_j G[k][j] β_j, kept current as coefficients move.
        var gBeta = [Double](repeating: 0, count: p)
        for k in 0..<p {
            var sum = 0.0
            for j in 0..<p { sum += gram[k * p + j] * beta[j] }
            gBeta[k] = sum
        }
        var sweeps = 0
        while sweeps < Self.maxSweeps {
            sweeps += 1
            var largestMove = 0.0
            for j in 0..<p {
                let diagonal = gram[j * p + j]
                guard diagonal > 0 else { continue }
                let partial = xty[j] - (gBeta[j] - diagonal * beta[j])
                var updated = partial / (diagonal + (penalised[j] ? lambda : 0))
                if nonNegative[j] && updated < 0 { updated = 0 }
                let move = updated - beta[j]
                guard move != 0 else { continue }
                beta[j] = updated
                for k in 0..<p { gBeta[k] += gram[k * p + j] * move }
                largestMove = max(largestMove, abs(move) * diagonal.squareRoot())
            }
            if largestMove < Self.tolerance { break }
        }
        return Solution(coefficients: beta, sweeps: sweeps)
    }
}
