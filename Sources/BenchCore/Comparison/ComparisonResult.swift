/// Everything `compare` found: the rows of the table, the targets judged on the whole collection, and the verdict.
public struct ComparisonReport: Sendable, Equatable, Codable {
    public var baselineLabel: String
    public var candidateLabel: String
    public var design: ComparisonDesign
    public var confidence: Double
    public var targets: ComparisonTargets
    /// Overall first, then each job type, then each (job type, country).
    public var rows: [ComparisonRow]
    /// One judgement per target that is set.
    public var judgements: [TargetJudgement]
    /// Significant regressions (each fails the comparison whatever the targets say).
    public var regressions: [String]
    public var verdict: Verdict
    /// What was left out or how the sides were matched, in words.
    public var notes: [String]

    /// The overall row.
    public var overall: ComparisonRow? { rows.first { $0.scope == .overall } }
}

/// Pass, fail or inconclusive, with the exit code a pipeline gates on.
public enum Verdict: String, Sendable, Codable {
    case pass, fail, inconclusive

    /// 0 pass, 1 fail, 2 inconclusive (64 is a usage or input error, raised before any verdict).
    public var exitCode: Int32 {
        switch self {
        case .pass: return 0
        case .fail: return 1
        case .inconclusive: return 2
        }
    }

    /// Exit code of a usage or input error (sysexits' EX_USAGE).
    public static let usageExitCode: Int32 = 64
}

/// One line of the table.
public struct ComparisonRow: Sendable, Equatable, Codable {
    public enum Scope: String, Sendable, Codable { case overall, jobType = "job_type", typeCountry = "type_country" }

    public var scope: Scope
    public var jobType: String?
    public var country: String?
    public var baseline: SideSummary
    public var candidate: SideSummary
    /// The change in duration; nil without a successful measurement on both sides (or a pair, when paired).
    public var duration: DurationChange?
    public var success: SuccessChange?
    /// Change of the cost per successful job (candidate / baseline − 1).
    public var costPerJob: RatioChange?
    /// Change of the CPU hours per successful job.
    public var cpuHoursPerJob: RatioChange?

    /// `overall`, `small`, `small/fr`.
    public var label: String {
        switch scope {
        case .overall: return "overall"
        case .jobType: return jobType ?? "?"
        case .typeCountry: return "\(jobType ?? "?")/\(country ?? "?")"
        }
    }
}

/// One side of one row.
public struct SideSummary: Sendable, Equatable, Codable {
    /// Measurements, failed ones included.
    public var total: Int
    public var successful: Int
    /// Over successful measurements only.
    public var medianMinutes: Double?
    public var meanMinutes: Double?
    public var successRate: RateInterval?
    public var costPerJob: MeanInterval?
    public var cpuHoursPerJob: MeanInterval?
    /// Sum of CPU hours of successful measurements.
    public var cpuHoursTotal: Double
}

/// The change in duration, candidate relative to baseline, in %.
public struct DurationChange: Sendable, Equatable, Codable {
    public enum Method: String, Sendable, Codable {
        case wilcoxonSignedRank = "wilcoxon-signed-rank"
        case mannWhitney = "mann-whitney"
    }

    public var method: Method
    /// Pairs (paired) or the smaller side's successful count (independent): what the interval's width scales with.
    public var sampleSize: Int
    public var changePercent: Double
    public var lowerPercent: Double
    public var upperPercent: Double
    public var pValue: Double
    /// Holm-adjusted across the rows of the table.
    public var pHolm: Double
    /// Holm-adjusted p-value below 1 − confidence.
    public var significant: Bool
}

/// The change in success rate (candidate − baseline, in percentage points) with Newcombe's interval.
public struct SuccessChange: Sendable, Equatable, Codable {
    public var differencePoints: Double
    public var lowerPoints: Double
    public var upperPoints: Double
    /// Fisher's exact test.
    public var pValue: Double
    public var pHolm: Double
    public var significant: Bool
}

/// A change of a mean in %, with its interval.
public struct RatioChange: Sendable, Equatable, Codable {
    public var changePercent: Double
    public var lowerPercent: Double
    public var upperPercent: Double

    init(_ ratio: RatioEstimate) {
        changePercent = (ratio.ratio - 1) * 100
        lowerPercent = (ratio.lower - 1) * 100
        upperPercent = (ratio.upper - 1) * 100
    }
}

/// A target judged on the interval of the whole collection.
public struct TargetJudgement: Sendable, Equatable, Codable {
    public enum Name: String, Sendable, Codable { case duration, success, cost }
    public enum Outcome: String, Sendable, Codable { case pass, fail, inconclusive }

    public var name: Name
    /// The target in % (a change for duration and cost, a rate for success).
    public var threshold: Double
    /// The estimate and its interval in the same unit; nil when it could not be computed.
    public var estimate: Double?
    public var lower: Double?
    public var upper: Double?
    public var outcome: Outcome
    /// For an inconclusive target: about how many more jobs (per side, or pairs) would likely decide it.
    public var furtherJobs: Int?
    /// One sentence: what was compared with what.
    public var explanation: String
}
