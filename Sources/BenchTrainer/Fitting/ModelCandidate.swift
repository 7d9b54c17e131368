/// Adstock and saturation hyperparameters of one paid media channel.
struct ChannelHyperparameters: Sendable, Equatable {
    /// Geometric adstock decay, in `searchRange.theta`.
    var theta: Double
    /// Hill shape, in `searchRange.alpha`.
    var alpha: Double
    /// Hill inflexion as a quantile of the adstocked range, in `searchRange.gamma`.
    var gamma: Double

    /// Robyn's default ranges for geometric adstock and Hill saturation.
    static let thetaRange = 0.0...0.8
    static let alphaRange = 0.5...3.0
    static let gammaRange = 0.3...1.0

    /// A uniform random draw from the search ranges.
    static func random(using rng: inout SplitMix64) -> ChannelHyperparameters {
        ChannelHyperparameters(
            theta: rng.uniform(thetaRange),
            alpha: rng.uniform(alphaRange),
            gamma: rng.uniform(gammaRange)
        )
    }
}

/// One point of the hyperparameter search: per-channel transformations and the ridge penalty.
struct ModelCandidate: Sendable, Equatable {
    var channels: [ChannelHyperparameters]
    /// Robyn's `lambda` hyperparameter in [0, 1], mapped onto the penalty range by `RidgeSolver` callers.
    var lambdaHyperparameter: Double
}

/// A candidate after fitting: its scores and the fitted model.
struct EvaluatedModel: Sendable {
    /// 1-based trial and candidate number within the trial.
    var trial: Int
    var candidateIndex: Int
    var candidate: ModelCandidate
    /// The penalty actually used (on standardised columns).
    var lambda: Double
    /// RMSE divided by the response range, as Robyn reports it.
    var nrmse: Double
    /// sqrt(Σ (effect share − spend share)²) over paid media channels.
    var decompRSSD: Double
    var rSquared: Double
    /// Coefficients in the data's units: the fixed columns by name, then each paid media variable.
    var coefficients: [(name: String, value: Double)]
    /// Coefficient of each paid media variable, in data units.
    var mediaCoefficients: [Double]
    var effectShares: [Double]
    var spendShares: [Double]
    /// Bootstrap standard error of each paid media coefficient (nil with fewer than two resamples).
    var mediaStandardErrors: [Double]?

    /// Distance to the ideal point (0, 0) of the two objectives; the search keeps the smallest.
    var score: Double { (nrmse * nrmse + decompRSSD * decompRSSD).squareRoot() }
}
