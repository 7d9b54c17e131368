import Foundation

/// Everything the HTML report shows, read from the database by the caller: the renderer does no I/O.
public struct HTMLReportInput: Sendable {
    public var collectionID: String
    public var plan: Plan
    public var createdAt: Date
    public var completedAt: Date?
    /// The baseline report (the counted measurements and the figures of the markdown report).
    public var report: BaselineReport
    /// Every attempt of every job, in any order.
    public var attempts: [AttemptSpan]
    /// The newest test suite run of each phase, if the collection ran the suite.
    public var testSuites: [TestSuiteReport]
    /// When the report was made (the end of still-running attempts' bars).
    public var generatedAt: Date
    /// What made the report, e.g. `mmmbench`.
    public var generator: String
    /// In an A/B collection (plan `targets:`): `report` is the baseline side, this the candidate side.
    public var candidate: BaselineReport?
    /// In an A/B collection: the candidate judged against the baseline (shown as a forest plot).
    public var comparison: ComparisonReport?
    /// Versions that made the data, e.g. `("Database schema", "v9-ab-targets")`, shown with the plan.
    public var versions: [(name: String, value: String)] = []

    public init(
        collectionID: String, plan: Plan, createdAt: Date, completedAt: Date?, report: BaselineReport,
        attempts: [AttemptSpan], testSuites: [TestSuiteReport], generatedAt: Date, generator: String = "mmmbench"
    ) {
        self.collectionID = collectionID
        self.plan = plan
        self.createdAt = createdAt
        self.completedAt = completedAt
        self.report = report
        self.attempts = attempts
        self.testSuites = testSuites
        self.generatedAt = generatedAt
        self.generator = generator
    }
}
