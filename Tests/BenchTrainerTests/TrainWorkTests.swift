import BenchCore
import Foundation
import Testing

@testable import BenchTrainer

/// The fit is real work whose amount follows iterations × trials, measured by deterministic counters.
@Suite("POST /train work")
struct TrainWorkTests {
    @Test(
        "candidates per trial: iterations × work scale, rounded, at least one",
        arguments: [
            (50, 1.0, 50), (50, 0.01, 1), (50, 0.03, 2), (400, 0.03, 12), (150, 0.03, 5), (1, 0.01, 1),
            (100_000, 0.5, 50_000),
        ])
    func candidatesPerTrial(iterations: Int, scale: Double, expected: Int) {
        #expect(MMMFitter.candidatesPerTrial(iterations: iterations, workScale: scale) == expected)
    }

    @Test("candidates and ridge fits grow with iterations × trials")
    func workGrowsWithIterationsTimesTrials() async throws {
        try await TrainerHarness.with({ $0.workScale = 0.05; $0.bootstrapResamples = 3 }) { trainer in
            let small = try await trainer.post("/train", seedPayload(iterations: 100, trials: 2))
            let large = try await trainer.post("/train", seedPayload(iterations: 200, trials: 4))
            #expect(small.status == 200)
            #expect(large.status == 200)
            // 100 × 0.05 = 5 per trial × 2 trials; 200 × 0.05 = 10 per trial × 4 trials.
            #expect(small["candidates_evaluated"]?.int == 10)
            #expect(large["candidates_evaluated"]?.int == 40)
            // One full fit plus three bootstrap refits per candidate.
            #expect(small["ridge_fits"]?.int == 40)
            #expect(large["ridge_fits"]?.int == 160)
            let smallSweeps = try #require(small["solver_sweeps"]?.int)
            let largeSweeps = try #require(large["solver_sweeps"]?.int)
            #expect(largeSweeps > smallSweeps)
            // CPU time is measured on the worker thread: a fit that did work used some.
            #expect((large["cpu_seconds"]?.double ?? 0) > 0)
            #expect(large["elapsed_seconds"]?.double != nil)
            #expect((large["peak_rss_mb"]?.double ?? 0) > 0)
        }
    }

    @Test("the answer carries the best model: scores, lambda and per-channel hyperparameters within Robyn's ranges")
    func bestModelShape() async throws {
        try await TrainerHarness.with({ $0.workScale = 0.2 }) { trainer in
            let answer = try await trainer.post("/train", seedPayload(iterations: 100, trials: 2))
            #expect(answer.status == 200)
            let best = try #require(answer["best_model"])
            let nrmse = try #require(best["nrmse"]?.double)
            let rssd = try #require(best["decomp_rssd"]?.double)
            #expect(nrmse > 0 && nrmse < 1)
            #expect(rssd >= 0 && rssd <= 2.0.squareRoot())
            let lambda = try #require(best["lambda"]?.double)
            #expect(lambda >= CandidateEvaluator.lambdaMinimum && lambda <= 1)
            for channel in ModelVariables.seedDefault.paidMediaVars {
                let values = try #require(best["channels"]?[channel], "channel \(channel)")
                let theta = try #require(values["theta"]?.double)
                let alpha = try #require(values["alpha"]?.double)
                let gamma = try #require(values["gamma"]?.double)
                #expect(ChannelHyperparameters.thetaRange.contains(theta))
                #expect(ChannelHyperparameters.alphaRange.contains(alpha))
                #expect(ChannelHyperparameters.gammaRange.contains(gamma))
                #expect((values["coefficient"]?.double ?? -1) >= 0, "media coefficients are non-negative")
                #expect(best["coefficients"]?[channel]?.double == values["coefficient"]?.double)
            }
            #expect(best["coefficients"]?["intercept"]?.double != nil)
            #expect(best["coefficients"]?["ORGANIC_TRAFFIC"]?.double != nil)
        }
    }

    @Test("a longer search never ends with a worse best model than a shorter one on the same seeds")
    func searchImprovesWithWork() throws {
        let dataset = SyntheticDataset(country: "uk", variables: .seedDefault)
        let settings = SearchSettings(workScale: 1, bootstrapResamples: 0)
        let short = try MMMFitter.fit(dataset: dataset, iterations: 5, trials: 1, settings: settings)
        let long = try MMMFitter.fit(dataset: dataset, iterations: 60, trials: 1, settings: settings)
        // The long search draws the short search's five candidates first, then more.
        #expect(long.best.score <= short.best.score)
        #expect(long.best.rSquared > 0.5, "the model explains most of the synthetic response")
    }

    @Test("a fit stops between candidates when asked to")
    func fitHonoursStop() {
        let dataset = SyntheticDataset(country: "fr", variables: .seedDefault)
        let polls = PollCounter()
        #expect(throws: FitInterruption.cancelled(afterCandidates: 3)) {
            try MMMFitter.fit(
                dataset: dataset, iterations: 1_000, trials: 1,
                settings: SearchSettings(workScale: 1, bootstrapResamples: 0),
                shouldStop: { polls.next() > 3 })
        }
    }

    @Test("instant mode validates and answers without fitting")
    func instantMode() async throws {
        try await TrainerHarness.with({ $0.instant = true }) { trainer in
            let answer = try await trainer.post("/train", seedPayload(iterations: 400, trials: 8))
            #expect(answer.status == 200)
            #expect(answer["status"]?.string == "success")
            #expect(answer["instant"]?.bool == true)
            #expect(answer["candidates_evaluated"]?.int == 0)
            let invalid = try await trainer.post("/train", #"{"country": "fr", "iterations": 0, "trials": 1}"#)
            #expect(invalid.status == 422)
        }
    }
}

/// Counts calls; used as a `shouldStop` that turns true after a number of polls.
final class PollCounter: Sendable {
    private let count = PThreadLockedValue(0)
    func next() -> Int {
        count.withLock { value in
            value += 1
            return value
        }
    }
}

