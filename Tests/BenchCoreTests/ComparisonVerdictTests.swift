import BenchCore
import Foundation
import Testing

@Suite("Comparison: rows, targets and verdict")
struct ComparisonVerdictTests {
    typealias F = ComparisonFixtures

    @Test("two collections of one matrix, candidate twice as fast: matched by job id, about -50%, duration passes")
    func halfDuration() throws {
        let jobs = F.jobs()
        let result = try Comparison.compare(F.input(F.side(jobs, scale: 1, seed: 1), F.side(jobs, scale: 0.5, seed: 2)))
        #expect(result.design == .matchedJobs)
        let overall = try #require(result.overall?.duration)
        #expect(overall.method == .wilcoxonSignedRank)
        #expect(overall.sampleSize == 27)
        #expect(abs(overall.changePercent + 50) < 5)
        #expect(overall.upperPercent < -40 && overall.lowerPercent > -60)
        #expect(overall.significant)
        let duration = try #require(result.judgements.first { $0.name == .duration })
        #expect(duration.outcome == .pass)
        let cost = try #require(result.judgements.first { $0.name == .cost })
        #expect(cost.outcome == .pass, "cost is proportional to duration: \(cost.explanation)")
        // 27 of 27 successes: Wilson's lower bound is 27/(27 + z²) = 87.5 %, below 95 %: not yet decided.
        let success = try #require(result.judgements.first { $0.name == .success })
        #expect(success.outcome == .inconclusive)
        // At a rate of 100 %, the lower bound n/(n + z²) reaches 95 % at n = ⌈19·z²⌉ = 73: 46 more jobs.
        #expect(success.furtherJobs == 46)
        #expect(result.verdict == .inconclusive && result.verdict.exitCode == 2)
    }

    @Test("with a success target the data can meet, the same comparison passes with exit code 0")
    func passes() throws {
        let jobs = F.jobs()
        var targets = ComparisonTargets.seedDefaults
        try targets.apply(flag: "success=80%")
        let result = try Comparison.compare(F.input(F.side(jobs, scale: 1, seed: 1), F.side(jobs, scale: 0.5, seed: 2),
                                                    targets: targets))
        #expect(result.judgements.map(\.outcome) == [.pass, .pass, .pass])
        #expect(result.regressions.isEmpty)
        #expect(result.verdict == .pass && result.verdict.exitCode == 0)
    }

    @Test("equal durations: no significant change (~) anywhere, and the duration target fails")
    func equal() throws {
        let jobs = F.jobs()
        let result = try Comparison.compare(F.input(F.side(jobs, scale: 1, seed: 1), F.side(jobs, scale: 1, seed: 2)))
        for row in result.rows {
            #expect(row.duration?.significant == false, "\(row.label)")
        }
        let overall = try #require(result.overall?.duration)
        #expect(overall.lowerPercent < 0 && overall.upperPercent > 0)
        #expect(result.judgements.first { $0.name == .duration }?.outcome == .fail)
        #expect(result.verdict == .fail)
    }

    @Test("a significantly slower candidate fails even with every target off")
    func slowerFails() throws {
        let jobs = F.jobs()
        let targets = ComparisonTargets(durationChangePercent: nil, minSuccessRatePercent: nil, costChangePercent: nil)
        let result = try Comparison.compare(F.input(F.side(jobs, scale: 1, seed: 1), F.side(jobs, scale: 1.3, seed: 2),
                                                    targets: targets))
        #expect(result.judgements.isEmpty)
        #expect(result.regressions.contains { $0.hasPrefix("duration of overall is significantly longer") })
        #expect(result.verdict == .fail && result.verdict.exitCode == 1)
    }

    @Test("a significantly lower success rate fails; failed measurements never enter durations")
    func successRegression() throws {
        let jobs = F.jobs()
        let failing = Set(stride(from: 0, to: 27, by: 3))
        let baseline = F.side(jobs, scale: 1, seed: 1)
        let candidate = F.side(jobs, scale: 1, seed: 1, failing: failing)
        let targets = ComparisonTargets(durationChangePercent: nil, minSuccessRatePercent: nil, costChangePercent: nil)
        let result = try Comparison.compare(F.input(baseline, candidate, targets: targets))
        let overall = try #require(result.overall)
        #expect(overall.candidate.total == 27 && overall.candidate.successful == 18)
        #expect(overall.duration?.sampleSize == 18, "only jobs successful on both sides are paired")
        // Same durations on the jobs that succeeded: the change is exactly zero.
        #expect(overall.duration?.changePercent == 0)
        let success = try #require(overall.success)
        #expect(success.differencePoints < 0 && success.upperPoints < 0)
        #expect(abs(success.pValue - Proportions.fisherExact(18, 9, 27, 0)) < 1e-15)
        #expect(result.regressions.contains { $0.hasPrefix("success rate of overall is significantly lower") })
        #expect(result.verdict == .fail)
    }

    @Test("rows: overall, every type, every (type, country); Holm-adjusted p-values are never below the raw ones")
    func rows() throws {
        let jobs = F.jobs()
        let result = try Comparison.compare(F.input(F.side(jobs, scale: 1, seed: 1), F.side(jobs, scale: 0.7, seed: 2)))
        #expect(result.rows.map(\.label) == ["overall", "small", "medium", "large", "small/fr", "small/de", "small/uk",
                                             "small/es", "medium/fr", "medium/de", "medium/uk", "large/fr", "large/de"])
        for row in result.rows {
            let d = try #require(row.duration)
            #expect(d.pHolm >= d.pValue)
            #expect(d.significant == (d.pHolm < 0.05))
        }
        // small/fr has 3 pairs: the exact signed-rank test cannot go below 2/8, so it is never significant.
        #expect(result.rows.first { $0.label == "small/fr" }?.duration?.significant == false)
    }

    @Test("inconclusive duration: the further-jobs estimate is enough to decide with data like the present")
    func furtherJobsDecide() throws {
        let jobs = F.jobs()
        let targets = ComparisonTargets(durationChangePercent: -40, minSuccessRatePercent: nil, costChangePercent: nil)
        let baseline = F.side(jobs, scale: 1, seed: 1, amplitude: 0.3)
        let candidate = F.side(jobs, scale: 0.55, seed: 2, amplitude: 0.3)
        let result = try Comparison.compare(F.input(baseline, candidate, targets: targets))
        let judgement = try #require(result.judgements.first)
        #expect(judgement.outcome == .inconclusive, "\(judgement.explanation)")
        let more = try #require(judgement.furtherJobs)
        // Repeat the same days until there are 27 + more jobs on each side: the interval narrows and decides.
        let days = (27 + more + 8) / 9
        let moreJobs = F.jobs(days: days)
        let baselineMore = F.side(moreJobs, scale: 1, seed: 1, amplitude: 0.3)
        let candidateMore = F.side(moreJobs, scale: 0.55, seed: 2, amplitude: 0.3)
        let decided = try Comparison.compare(F.input(baselineMore, candidateMore, targets: targets))
        #expect(decided.judgements.first?.outcome == .pass, "\(decided.judgements.first?.explanation ?? "")")
    }

    @Test("sides without common job ids are independent samples (Mann-Whitney U)")
    func independent() throws {
        let jobs = F.jobs()
        var candidate = F.side(jobs, scale: 0.5, seed: 2)
        for index in candidate.indices { candidate[index].jobID = "canary-\(index)" }
        let result = try Comparison.compare(F.input(F.side(jobs, scale: 1, seed: 1), candidate))
        #expect(result.design == .independent)
        let overall = try #require(result.overall?.duration)
        #expect(overall.method == .mannWhitney)
        #expect(overall.changePercent < -30)
        #expect(result.notes.contains("no job id in common: compared as independent samples"))
        var forced = F.input(F.side(jobs, scale: 1, seed: 1), F.side(jobs, scale: 0.5, seed: 2))
        forced.forceIndependent = true
        #expect(try Comparison.compare(forced).design == .independent)
        // Job types differ 30-fold in duration: unmatched, that spread blurs the change; matched job by job it
        // cancels. The same data gives a far narrower interval when paired.
        forced.forceIndependent = false
        let paired = try #require(try Comparison.compare(forced).overall?.duration)
        #expect(paired.upperPercent - paired.lowerPercent < (overall.upperPercent - overall.lowerPercent) / 4)
    }

    @Test("jobs on one side only are left out and said so")
    func leftOut() throws {
        let jobs = F.jobs()
        let candidate = Array(F.side(jobs, scale: 0.5, seed: 2).prefix(18))
        let result = try Comparison.compare(F.input(F.side(jobs, scale: 1, seed: 1), candidate))
        #expect(result.overall?.baseline.total == 18)
        #expect(result.notes.first
            == "18 job ids on both sides; left out: 9 only in the baseline, 0 only in the candidate")
    }

    @Test("an A/B collection splits by target and is paired")
    func abCollection() throws {
        let jobs = F.jobs()
        let metrics = zip(F.side(jobs, scale: 1, seed: 1, target: "baseline"),
                          F.side(jobs, scale: 0.5, seed: 2, target: "candidate")).flatMap { [$0.0, $0.1] }
        #expect(Comparison.isABCollection(metrics))
        let sides = try Comparison.abSides(metrics: metrics, label: "ab.sqlite#c-1")
        #expect(sides.baseline.metrics.count == 27 && sides.candidate.metrics.count == 27)
        let result = try Comparison.compare(ComparisonInput(baseline: sides.baseline, candidate: sides.candidate,
                                                            fromABCollection: true))
        #expect(result.design == .pairedAB)
        #expect(result.overall?.duration?.sampleSize == 27)
        var odd = metrics
        odd[3].target = "canary"
        #expect(throws: ComparisonError.self) { try Comparison.abSides(metrics: odd, label: "ab") }
    }

    @Test("empty sides and sides without a common job type are refused with both named")
    func refusals() {
        let jobs = F.jobs()
        let baseline = F.side(jobs, scale: 1, seed: 1)
        #expect(throws: ComparisonError(.emptySide, "cand.json: no measurements to compare")) {
            try Comparison.compare(F.input(baseline, []))
        }
        var other = F.side(jobs, scale: 1, seed: 2)
        for index in other.indices { other[index].jobType = "xl" }
        do throws(ComparisonError) {
            _ = try Comparison.compare(F.input(baseline, other))
            Issue.record("no error")
        } catch {
            #expect(error.kind == .nothingInCommon)
            #expect(error.message.contains("base.json (job types small, medium, large)"))
            #expect(error.message.contains("cand.json (job types xl)"))
        }
    }

    @Test("--target flags: percentages, off, and clear errors")
    func targetFlags() throws {
        var targets = ComparisonTargets.seedDefaults
        try targets.apply(flag: "duration=-45%")
        try targets.apply(flag: "cost=off")
        try targets.apply(flag: "success=99")
        #expect(targets == ComparisonTargets(durationChangePercent: -45, minSuccessRatePercent: 99,
                                             costChangePercent: nil))
        for bad in ["duration", "speed=-40%", "duration=fast", "success=120%", "cost=-100%"] {
            #expect(throws: ComparisonError.self, "\(bad)") { try targets.apply(flag: bad) }
        }
    }
}
