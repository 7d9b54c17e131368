/// How much search work a fit does.
struct SearchSettings: Sendable, Equatable {
    /// Multiplies `iterations` (candidates per trial); at least one candidate per trial is always evaluated.
    var workScale: Double
    /// Bootstrap refits per candidate: the per-candidate cost.
    var bootstrapResamples: Int
}

/// The outcome of a random search.
struct FitOutcome: Sendable {
    var best: EvaluatedModel
    var candidatesEvaluated: Int
    /// Ridge regressions solved (one full fit plus the bootstrap refits per candidate): a deterministic measure
    /// of the work done, proportional to iterations × trials.
    var ridgeFits: Int
    /// Coordinate-descent sweeps over all ridge fits (deterministic for a given request).
    var solverSweeps: Int
    var weeks: Int
}

/// Why a fit did not finish.
enum FitInterruption: Error, Equatable {
    /// The trainer is stopping or the request went away.
    case cancelled(afterCandidates: Int)
}

/// Robyn-style hyperparameter search: `trials` independent random searches of `iterations` candidates each
/// (scaled by `workScale`), each trial with its own seed, keeping the model closest to the ideal
/// (NRMSE = 0, decomposition RSSD = 0).
enum MMMFitter {
    /// Candidates evaluated per trial: `iterations × workScale`, rounded, at least 1.
    static func candidatesPerTrial(iterations: Int, workScale: Double) -> Int {
        let scaled = (Double(iterations) * workScale).rounded()
        guard scaled.isFinite, scaled >= 1 else { return 1 }
        return scaled >= Double(Int.max) ? Int.max : Int(scaled)
    }

    /// Runs the search. `shouldStop` is polled between candidates.
    static func fit(
        dataset: SyntheticDataset,
        iterations: Int,
        trials: Int,
        settings: SearchSettings,
        shouldStop: () -> Bool = { false }
    ) throws(FitInterruption) -> FitOutcome {
        let prepared = PreparedDataset(dataset)
        let evaluator = CandidateEvaluator(prepared: prepared, bootstrapResamples: settings.bootstrapResamples)
        let perTrial = candidatesPerTrial(iterations: iterations, workScale: settings.workScale)
        let channelCount = dataset.media.count
        var best: EvaluatedModel?
        var evaluated = 0
        var work = CandidateEvaluator.Work()
        for trial in 1...max(trials, 1) {
            var rng = SplitMix64(seed: StableHash.fnv1a(dataset.country, "trial", String(trial)))
            for index in 1...perTrial {
                if shouldStop() { throw .cancelled(afterCandidates: evaluated) }
                let candidate = ModelCandidate(
                    channels: (0..<channelCount).map { _ in ChannelHyperparameters.random(using: &rng) },
                    lambdaHyperparameter: rng.unit()
                )
                // The bootstrap has its own stream, so the candidates drawn do not depend on the resample count.
                var bootstrapRNG = SplitMix64(
                    seed: StableHash.fnv1a(dataset.country, "bootstrap", String(trial), String(index)))
                let model = evaluator.evaluate(
                    candidate, trial: trial, candidateIndex: index, rng: &bootstrapRNG, work: &work)
                evaluated += 1
                if best.map({ model.score < $0.score }) ?? true { best = model }
            }
        }
        guard let best else { throw .cancelled(afterCandidates: evaluated) }
        return FitOutcome(
            best: best,
            candidatesEvaluated: evaluated,
            ridgeFits: work.ridgeFits,
            solverSweeps: work.sweeps,
            weeks: dataset.weeks
        )
    }
}
