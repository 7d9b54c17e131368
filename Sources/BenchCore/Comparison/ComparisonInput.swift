/// One side of a comparison: its measurements and where they came from.
public struct ComparisonSide: Sendable, Equatable {
    /// How the side is named in reports (a file name, `FILE#COLLECTION`, or `FILE (baseline)` in an A/B collection).
    public var label: String
    /// Every measurement, failed ones included, in the source's order.
    public var metrics: [BaselineMetric]

    public init(label: String, metrics: [BaselineMetric]) {
        self.label = label
        self.metrics = metrics
    }
}

/// How the two sides are related, which decides the statistics of the duration change.
public enum ComparisonDesign: String, Sendable, Codable {
    /// One interleaved A/B collection: every job ran against both targets back to back; pairs by job id.
    case pairedAB = "paired-ab"
    /// Two collections of the same matrix: the same job ids on both sides, paired by job id.
    case matchedJobs = "matched-jobs"
    /// Two samples without a pairing: compared as independent samples.
    case independent

    /// Whether durations are compared pair by pair (Wilcoxon signed-rank on per-job log ratios).
    public var isPaired: Bool { self != .independent }
}

/// What `Comparison.compare` compares.
public struct ComparisonInput: Sendable, Equatable {
    public var baseline: ComparisonSide
    public var candidate: ComparisonSide
    public var targets: ComparisonTargets
    /// `true` for the sides of one A/B collection (see ``Comparison/abSides(metrics:label:)``).
    public var fromABCollection: Bool
    /// Compare as independent samples even when the job ids match (`--unpaired`).
    public var forceIndependent: Bool

    public init(baseline: ComparisonSide, candidate: ComparisonSide, targets: ComparisonTargets = .seedDefaults,
                fromABCollection: Bool = false, forceIndependent: Bool = false)
    {
        self.baseline = baseline
        self.candidate = candidate
        self.targets = targets
        self.fromABCollection = fromABCollection
        self.forceIndependent = forceIndependent
    }
}
