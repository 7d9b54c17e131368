/// Fits and scores one hyperparameter candidate on a prepared dataset.
///
/// Per candidate: adstock + saturation of every paid media column, one ridge fit on all weeks (scored by NRMSE
/// and decomposition RSSD), then `bootstrapResamples` moving-block bootstrap refits that estimate the standard
/// error of each media coefficient. The refits are the calibrated per-candidate cost (see docs/trainer.md).
struct CandidateEvaluator {
    let prepared: PreparedDataset
    let bootstrapResamples: Int
    /// Weeks per bootstrap block, so resamples keep the autocorrelation of weekly data.
    static let blockLength = 8
    /// Penalty at `lambdaHyperparameter == 0`; at 1 the penalty is 1, the largest |xᵀy|/n of standardised data.
    static let lambdaMinimum = 1e-4

    /// Work done by one evaluation, for the deterministic work counters.
    struct Work {
        var ridgeFits = 0
        var sweeps = 0
    }

    func evaluate(
        _ candidate: ModelCandidate,
        trial: Int,
        candidateIndex: Int,
        rng: inout SplitMix64,
        work: inout Work
    ) -> EvaluatedModel {
        let rows = prepared.rows
        let dataset = prepared.dataset
        let fixedCount = prepared.fixedNames.count
        let mediaCount = dataset.media.count
        let columnCount = fixedCount + mediaCount

        var design = prepared.fixedColumns
        design.reserveCapacity(columnCount * rows)
        var saturated: [[Double]] = []
        var mediaMeans: [Double] = []
        var mediaScales: [Double] = []
        var scratch = [Double](repeating: 0, count: rows)
        for (column, hyper) in zip(dataset.media, candidate.channels) {
            MediaTransform.adstock(column, theta: hyper.theta, into: &scratch)
            MediaTransform.saturate(&scratch, alpha: hyper.alpha, gamma: hyper.gamma)
            saturated.append(scratch)
            let standardised = Standardised(scratch)
            design += standardised.values
            mediaMeans.append(standardised.mean)
            mediaScales.append(standardised.scale)
        }

        let solver = RidgeSolver(
            columnCount: columnCount,
            nonNegative: prepared.fixedNonNegative + [Bool](repeating: true, count: mediaCount),
            penalised: [false] + [Bool](repeating: true, count: columnCount - 1)
        )
        let lambda = Self.lambdaMinimum + (1 - Self.lambdaMinimum) * candidate.lambdaHyperparameter
        let full = solver.solve(
            design: design, rows: rows, response: prepared.standardisedResponse, weights: nil, lambda: lambda)
        work.ridgeFits += 1
        work.sweeps += full.sweeps

        // Scores in the data's units.
        var squaredError = 0.0
        var totalSquares = 0.0
        let responseMean = prepared.responseMean
        for row in 0..<rows {
            var fitted = 0.0
            for column in 0..<columnCount { fitted += design[column * rows + row] * full.coefficients[column] }
            let predicted = responseMean + prepared.responseScale * fitted
            let actual = dataset.response[row]
            squaredError += (actual - predicted) * (actual - predicted)
            totalSquares += (actual - responseMean) * (actual - responseMean)
        }
        let rmse = (squaredError / Double(rows)).squareRoot()
        let nrmse = prepared.responseRange > 0 ? rmse / prepared.responseRange : 0
        let rSquared = totalSquares > 0 ? 1 - squaredError / totalSquares : 0

        let scales = prepared.fixedScales + mediaScales
        let means = prepared.fixedMeans + mediaMeans
        let unscale = { (coefficients: [Double], column: Int) -> Double in
            coefficients[column] * prepared.responseScale / scales[column]
        }
        let mediaCoefficients = (0..<mediaCount).map { unscale(full.coefficients, fixedCount + $0) }
        var intercept = responseMean + prepared.responseScale * full.coefficients[0]
        for column in 1..<columnCount { intercept -= unscale(full.coefficients, column) * means[column] }
        var coefficients: [(name: String, value: Double)] = [("intercept", intercept)]
        for column in 1..<fixedCount {
            coefficients.append((prepared.fixedNames[column], unscale(full.coefficients, column)))
        }
        for (name, value) in zip(dataset.variables.paidMediaVars, mediaCoefficients) {
            coefficients.append((name, value))
        }

        // Decomposition: each channel's total effect = coefficient × Σ saturated exposure.
        let effects = zip(mediaCoefficients, saturated).map { coefficient, column in
            max(0, coefficient * column.reduce(0, +))
        }
        let totalEffect = effects.reduce(0, +)
        let effectShares = effects.map { totalEffect > 0 ? $0 / totalEffect : 0 }
        var rssd = 0.0
        for (effect, spend) in zip(effectShares, prepared.spendShares) { rssd += (effect - spend) * (effect - spend) }

        let standardErrors = bootstrapStandardErrors(
            solver: solver, design: design, lambda: lambda, start: full.coefficients,
            unscale: unscale, fixedCount: fixedCount, mediaCount: mediaCount, rng: &rng, work: &work)

        return EvaluatedModel(
            trial: trial,
            candidateIndex: candidateIndex,
            candidate: candidate,
            lambda: lambda,
            nrmse: nrmse,
            decompRSSD: rssd.squareRoot(),
            rSquared: rSquared,
            coefficients: coefficients,
            mediaCoefficients: mediaCoefficients,
            effectShares: effectShares,
            spendShares: prepared.spendShares,
            mediaStandardErrors: standardErrors
        )
    }

    /// Moving-block bootstrap: refit on resampled weeks (as row weights) and take the sample standard deviation of
    /// each media coefficient.
    private func bootstrapStandardErrors(
        solver: RidgeSolver,
        design: [Double],
        lambda: Double,
        start: [Double],
        unscale: ([Double], Int) -> Double,
        fixedCount: Int,
        mediaCount: Int,
        rng: inout SplitMix64,
        work: inout Work
    ) -> [Double]? {
        guard bootstrapResamples > 0 else { return nil }
        let rows = prepared.rows
        let block = min(Self.blockLength, rows)
        var sums = [Double](repeating: 0, count: mediaCount)
        var squares = [Double](repeating: 0, count: mediaCount)
        var weights = [Double](repeating: 0, count: rows)
        for _ in 0..<bootstrapResamples {
            for row in 0..<rows { weights[row] = 0 }
            var drawn = 0
            while drawn < rows {
                let first = Int(rng.next() % UInt64(rows - block + 1))
                for row in first..<min(first + block, first + rows - drawn) { weights[row] += 1 }
                drawn += block
            }
            let refit = solver.solve(
                design: design, rows: rows, response: prepared.standardisedResponse, weights: weights,
                lambda: lambda, start: start)
            work.ridgeFits += 1
            work.sweeps += refit.sweeps
            for channel in 0..<mediaCount {
                let value = unscale(refit.coefficients, fixedCount + channel)
                sums[channel] += value
                squares[channel] += value * value
            }
        }
        guard bootstrapResamples > 1 else { return nil }
        let count = Double(bootstrapResamples)
        return (0..<mediaCount).map { channel in
            let mean = sums[channel] / count
            return max(0, (squares[channel] - count * mean * mean) / (count - 1)).squareRoot()
        }
    }
}
