import Foundation

/// Cell texts shared by the markdown, terminal and JUnit renderers.
enum ComparisonText {
    static func targetName(_ name: TargetJudgement.Name) -> String {
        switch name {
        case .duration: return "duration"
        case .success: return "success rate"
        case .cost: return "cost per job"
        }
    }

    static func required(_ judgement: TargetJudgement) -> String {
        judgement.name == .success
            ? ">= " + Format.percent(judgement.threshold) : "<= " + Format.signedPercent(judgement.threshold)
    }

    static func measured(_ judgement: TargetJudgement) -> String {
        guard let estimate = judgement.estimate else { return "-" }
        return judgement.name == .success ? Format.percent(estimate) : Format.signedPercent(estimate)
    }

    static func interval(_ judgement: TargetJudgement) -> String {
        guard let lower = judgement.lower, let upper = judgement.upper else { return "-" }
        return judgement.name == .success
            ? "[\(Format.percent(lower)), \(Format.percent(upper))]"
            : "[\(Format.signedPercent(lower)), \(Format.signedPercent(upper))]"
    }

    static func outcome(_ judgement: TargetJudgement) -> String {
        guard judgement.outcome == .inconclusive else { return judgement.outcome.rawValue }
        guard let further = judgement.furtherJobs else { return "inconclusive" }
        let unit = judgement.name == .success ? "" : " per side"
        return "inconclusive: about \(further) more jobs\(unit) would likely decide"
    }

    static func durationChange(_ d: DurationChange?) -> String {
        guard let d else { return "-" }
        let text = "\(Format.signedPercent(d.changePercent)) [\(Format.signedPercent(d.lowerPercent)), "
            + "\(Format.signedPercent(d.upperPercent))]"
        return d.significant ? text : "~ (\(text))"
    }

    static func successChange(_ s: SuccessChange?) -> String {
        guard let s else { return "-" }
        let text = "\(Format.signedPoints(s.differencePoints)) [\(Format.signedPoints(s.lowerPoints)), "
            + "\(Format.signedPoints(s.upperPoints))]"
        return s.significant ? text : "~ (\(text))"
    }

    static func rate(_ side: SideSummary) -> String {
        guard let rate = side.successRate else { return "-" }
        return "\(Format.percent(rate.estimate * 100)) [\(Format.percent(rate.lower * 100)), "
            + "\(Format.percent(rate.upper * 100))] (\(side.successful)/\(side.total))"
    }

    static func ratioChange(_ change: RatioChange?) -> String {
        guard let change else { return "-" }
        return "\(Format.signedPercent(change.changePercent)) [\(Format.signedPercent(change.lowerPercent)), "
            + "\(Format.signedPercent(change.upperPercent))]"
    }

    static func mean(_ mean: MeanInterval?, dollars: Bool) -> String {
        guard let mean else { return "-" }
        return dollars ? Format.dollars(mean.mean) : hours(mean.mean)
    }

    static func hours(_ value: Double) -> String { String(format: "%.3f", value) }
}
