import Foundation

/// The effect a paid media channel really has in a synthetic dataset: the values a fit tries to recover.
struct ChannelTruth: Sendable, Equatable {
    var theta: Double
    var alpha: Double
    var gamma: Double
    /// Response units added at full saturation.
    var scale: Double
}

/// A weekly MMM dataset generated from known adstock and saturation effects plus noise.
///
/// Deterministic: every column is drawn from a generator seeded by the FNV-1a hash of the country code and the
/// column's name, so the same country and variable gives the same column in every process, and another country
/// gives other data.
struct SyntheticDataset: Sendable {
    /// About two years of weekly data, as a typical Robyn model uses.
    static let defaultWeeks = 104

    let country: String
    let variables: ModelVariables
    let weeks: Int
    /// Exposure per paid media variable, in `variables.paidMediaVars` order.
    let media: [[Double]]
    /// Spend per paid media variable, in `variables.paidMediaSpends` order.
    let spend: [[Double]]
    /// One column per context variable; factor variables are 0/1.
    let context: [[Double]]
    /// One column per organic variable.
    let organic: [[Double]]
    /// The modelled KPI (e.g. revenue).
    let response: [Double]
    /// The true effect of each paid media variable.
    let truth: [ChannelTruth]

    init(country: String, variables: ModelVariables, weeks: Int = SyntheticDataset.defaultWeeks) {
        self.country = country
        self.variables = variables
        self.weeks = weeks
        let media = variables.paidMediaVars.map { Self.mediaColumn(country: country, name: $0, weeks: weeks) }
        self.media = media
        self.spend = zip(variables.paidMediaSpends, variables.paidMediaVars).enumerated().map { index, names in
            let (spendName, varName) = names
            if spendName == varName { return media[index] }
            var rng = SplitMix64(seed: StableHash.fnv1a(country, "price", spendName))
            let price = rng.uniform(0.002...0.02)
            return media[index].map { $0 * price }
        }
        self.context = variables.contextVars.map { name in
            Self.contextColumn(
                country: country, name: name, isFactor: variables.factorVars.contains(name), weeks: weeks)
        }
        self.organic = variables.organicVars.map { Self.organicColumn(country: country, name: $0, weeks: weeks) }

        var rng = SplitMix64(seed: StableHash.fnv1a(country, "response"))
        let base = 50_000 * (1 + rng.unit())
        let truth = variables.paidMediaVars.map { name -> ChannelTruth in
            var channelRNG = SplitMix64(seed: StableHash.fnv1a(country, "truth", name))
            return ChannelTruth(
                theta: channelRNG.uniform(0.1...0.6),
                alpha: channelRNG.uniform(1.0...2.5),
                gamma: channelRNG.uniform(0.4...0.8),
                scale: base * channelRNG.uniform(0.08...0.3)
            )
        }
        self.truth = truth
        var response = (0..<weeks).map { week in
            let t = Double(week)
            return base * (1 + 0.002 * t + 0.1 * sin(2 * Double.pi * t / 52))
        }
        var scratch = [Double](repeating: 0, count: weeks)
        for (column, effect) in zip(media, truth) {
            MediaTransform.adstock(column, theta: effect.theta, into: &scratch)
            MediaTransform.saturate(&scratch, alpha: effect.alpha, gamma: effect.gamma)
            for week in 0..<weeks { response[week] += effect.scale * scratch[week] }
        }
        for (index, column) in context.enumerated() {
            let weight = base * (variables.factorVars.contains(variables.contextVars[index]) ? 0.05 : 0.02)
            for week in 0..<weeks { response[week] += weight * column[week] }
        }
        for column in organic {
            for week in 0..<weeks { response[week] += 0.3 * column[week] }
        }
        for week in 0..<weeks { response[week] += 0.03 * base * rng.normal() }
        self.response = response
    }

    /// Weekly exposure: a channel-specific level with seasonality, log-normal noise and dark (zero) weeks.
    private static func mediaColumn(country: String, name: String, weeks: Int) -> [Double] {
        var rng = SplitMix64(seed: StableHash.fnv1a(country, "media", name))
        let level = 1_000 * (1 + 9 * rng.unit())
        let amplitude = 0.4 * rng.unit()
        let phase = 2 * Double.pi * rng.unit()
        return (0..<weeks).map { week in
            if rng.unit() < 0.1 { return 0 }
            let season = 1 + amplitude * sin(2 * Double.pi * Double(week) / 52 + phase)
            return level * season * exp(0.25 * rng.normal())
        }
    }

    /// A context column: 0/1 event weeks for a factor variable, an AR(1) index around zero otherwise.
    private static func contextColumn(country: String, name: String, isFactor: Bool, weeks: Int) -> [Double] {
        var rng = SplitMix64(seed: StableHash.fnv1a(country, "context", name))
        if isFactor {
            return (0..<weeks).map { _ in rng.unit() < 0.15 ? 1 : 0 }
        }
        var value = 0.0
        return (0..<weeks).map { _ in
            value = 0.7 * value + rng.normal()
            return value
        }
    }

    /// An organic column: a positive level with trend, seasonality and noise.
    private static func organicColumn(country: String, name: String, weeks: Int) -> [Double] {
        var rng = SplitMix64(seed: StableHash.fnv1a(country, "organic", name))
        let level = 5_000 * (1 + rng.unit())
        return (0..<weeks).map { week in
            let t = Double(week)
            return level * (1 + 0.002 * t + 0.2 * sin(2 * Double.pi * t / 52)) * exp(0.1 * rng.normal())
        }
    }
}
