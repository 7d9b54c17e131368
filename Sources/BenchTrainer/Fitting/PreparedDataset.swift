import Foundation

/// The parts of a fit that do not depend on the hyperparameters, computed once per fit: the standardised baseline,
/// context and organic columns, the standardised response and the spend shares.
struct PreparedDataset: Sendable {
    let dataset: SyntheticDataset
    let rows: Int
    /// Names of the fixed columns, intercept first: `intercept`, `trend`, `season_sin`, `season_cos`, then the
    /// context and organic variables.
    let fixedNames: [String]
    /// Fixed columns, column-major and standardised; the intercept column is all ones.
    let fixedColumns: [Double]
    let fixedMeans: [Double]
    let fixedScales: [Double]
    /// Organic coefficients are non-negative, as Robyn constrains them.
    let fixedNonNegative: [Bool]
    let responseMean: Double
    let responseScale: Double
    let standardisedResponse: [Double]
    /// `max(y) - min(y)`, the NRMSE denominator.
    let responseRange: Double
    /// Each paid media channel's share of total spend.
    let spendShares: [Double]

    init(_ dataset: SyntheticDataset) {
        self.dataset = dataset
        let rows = dataset.weeks
        self.rows = rows
        var names = ["intercept", "trend", "season_sin", "season_cos"]
        var raw: [[Double]] = [
            [Double](repeating: 1, count: rows),
            (0..<rows).map { Double($0) / Double(max(rows - 1, 1)) },
            (0..<rows).map { sin(2 * Double.pi * Double($0) / 52) },
            (0..<rows).map { cos(2 * Double.pi * Double($0) / 52) },
        ]
        var nonNegative = [false, false, false, false]
        names += dataset.variables.contextVars
        raw += dataset.context
        nonNegative += dataset.context.map { _ in false }
        names += dataset.variables.organicVars
        raw += dataset.organic
        nonNegative += dataset.organic.map { _ in true }

        var columns: [Double] = []
        columns.reserveCapacity(raw.count * rows)
        var means: [Double] = []
        var scales: [Double] = []
        for (index, column) in raw.enumerated() {
            if index == 0 {
                columns += column
                means.append(0)
                scales.append(1)
                continue
            }
            let standardised = Standardised(column)
            columns += standardised.values
            means.append(standardised.mean)
            scales.append(standardised.scale)
        }
        self.fixedNames = names
        self.fixedColumns = columns
        self.fixedMeans = means
        self.fixedScales = scales
        self.fixedNonNegative = nonNegative

        let response = Standardised(dataset.response)
        self.responseMean = response.mean
        self.responseScale = response.scale
        self.standardisedResponse = response.values
        self.responseRange = (dataset.response.max() ?? 0) - (dataset.response.min() ?? 0)

        let totals = dataset.spend.map { $0.reduce(0, +) }
        let allSpend = totals.reduce(0, +)
        self.spendShares = totals.map { allSpend > 0 ? $0 / allSpend : 0 }
    }
}

/// A column centred on its mean and divided by its (population) standard deviation. A constant column becomes
/// all zeros with scale 1, which the solver then skips.
struct Standardised {
    let values: [Double]
    let mean: Double
    let scale: Double

    init(_ column: [Double]) {
        let count = Double(max(column.count, 1))
        let mean = column.reduce(0, +) / count
        var sumSquares = 0.0
        for value in column { sumSquares += (value - mean) * (value - mean) }
        let deviation = (sumSquares / count).squareRoot()
        self.mean = mean
        if deviation > 1e-12 {
            self.scale = deviation
            self.values = column.map { ($0 - mean) / deviation }
        } else {
            self.scale = 1
            self.values = [Double](repeating: 0, count: column.count)
        }
    }
}
