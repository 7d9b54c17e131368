import Foundation

/// A baseline collection plan: what to run, how often, how fast and how to price it.
///
/// Every field has the seed's default (`collect_baseline.py`), so an empty plan file is a valid plan: 3 days of the six
/// synthetic job configs (9 jobs a day), a 7200 s timeout, 30 s between jobs, 4 h between days and Cloud Run pricing.
/// Plans are stored with their collection as canonical JSON (`canonicalJSON()`), which is also how two plans are
/// compared when a collection is resumed.
public struct Plan: Codable, Sendable, Equatable {
    /// Number of collection days (the seed's `--duration-days`).
    public var days: Int
    /// The job configs run every day; one job per (day, config, country).
    public var jobs: [JobConfig]
    /// The body fields of `POST /train` that are the same for every job.
    public var payload: PayloadTemplate
    /// How long one `POST /train` may take before it is a failed measurement.
    public var timeoutSeconds: Double
    /// Pause after each job (per slot) before the next one starts.
    public var jobGapSeconds: Double
    /// Pause between the last job of a day and the first job of the next.
    public var dayGapSeconds: Double
    /// Prices and base sizes for the cost model.
    public var pricing: Pricing
    /// Attempts (harness failures, not trainer failures) before a job is given up with a harness error.
    public var maxAttempts: Int
    /// Upper bound of jobs running at once across all agents, so the trainer is not flooded.
    public var maxInFlight: Int
    /// The optimization test suite's settings and where a collection runs it (docs/checks.md); nil = every default
    /// (`checkPlan`). Omitted from the canonical JSON when nil, so plans without checks compare as before.
    public var checks: CheckPlan?
    /// The targets `compare` judges a candidate against (docs/compare.md); nil = the seed's. Omitted from the
    /// canonical JSON when nil.
    public var validation: ComparisonTargets?
    /// The two trainers of an interleaved A/B collection (docs/plan.md, "A/B collections"); nil = one target, the
    /// trainer given on the command line. Omitted from the canonical JSON when nil.
    public var targets: PlanTargets?
    /// What makes a trainer answer a success (``SuccessRule``); nil = the seed's rule, HTTP 200. Omitted from the
    /// canonical JSON when nil.
    public var successRule: SuccessRule? = nil

    public init(
        days: Int = 3,
        jobs: [JobConfig] = JobConfig.seedDefaults,
        payload: PayloadTemplate = PayloadTemplate(),
        timeoutSeconds: Double = 7200,
        jobGapSeconds: Double = 30,
        dayGapSeconds: Double = 4 * 3600,
        pricing: Pricing = Pricing(),
        maxAttempts: Int = 3,
        maxInFlight: Int = 64,
        checks: CheckPlan? = nil,
        validation: ComparisonTargets? = nil
    ) {
        self.days = days
        self.jobs = jobs
        self.payload = payload
        self.timeoutSeconds = timeoutSeconds
        self.jobGapSeconds = jobGapSeconds
        self.dayGapSeconds = dayGapSeconds
        self.pricing = pricing
        self.maxAttempts = maxAttempts
        self.maxInFlight = maxInFlight
        self.checks = checks
        self.validation = validation
        self.targets = nil
    }

    /// The seed's plan: every default.
    public static let seedDefault = Plan()

    enum CodingKeys: String, CodingKey, CaseIterable {
        case days, jobs, payload
        case timeoutSeconds = "timeout_seconds"
        case jobGapSeconds = "job_gap_seconds"
        case dayGapSeconds = "day_gap_seconds"
        case pricing
        case maxAttempts = "max_attempts"
        case maxInFlight = "max_in_flight"
        case checks
        case validation
        case targets
        case successRule = "success_rule"
    }

    /// Jobs per day: one per (config, country).
    public var jobsPerDay: Int { jobs.reduce(0) { $0 + $1.countries.count } }

    /// The plan as stable JSON (sorted keys), used to store it and to compare two plans.
    public func canonicalJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain structs of strings and numbers cannot fail; an empty string would only make plans unequal.
        guard let data = try? encoder.encode(self) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes a plan stored with `canonicalJSON()`.
    public static func fromCanonicalJSON(_ text: String) throws -> Plan {
        try PlanLoader.load(text: text, sourceName: "stored plan")
    }
}

/// One kind of job run every day, for each of its countries.
public struct JobConfig: Codable, Sendable, Equatable {
    /// The job type used for grouping in reports (`small`, `medium`, `large` in the seed).
    public var type: String
    public var iterations: Int
    public var trials: Int
    public var countries: [String]
    /// Routing: only agents whose `hello.labels` include every one of these (same key, same value) run this
    /// config's jobs. Empty (the default): any agent.
    public var labels: [String: String]

    public init(type: String, iterations: Int, trials: Int, countries: [String], labels: [String: String] = [:]) {
        self.type = type
        self.iterations = iterations
        self.trials = trials
        self.countries = countries
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, iterations, trials, countries, labels
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        iterations = try container.decode(Int.self, forKey: .iterations)
        trials = try container.decode(Int.self, forKey: .trials)
        countries = try container.decode([String].self, forKey: .countries)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
    }

    /// Encodes the config; `labels` only when not empty, so plans without routing keep their canonical JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(iterations, forKey: .iterations)
        try container.encode(trials, forKey: .trials)
        try container.encode(countries, forKey: .countries)
        if !labels.isEmpty { try container.encode(labels, forKey: .labels) }
    }

    /// `create_synthetic_jobs` of the seed, in its order.
    public static let seedDefaults: [JobConfig] = [
        JobConfig(type: "small", iterations: 50, trials: 2, countries: ["fr", "de"]),
        JobConfig(type: "small", iterations: 75, trials: 3, countries: ["uk", "es"]),
        JobConfig(type: "medium", iterations: 150, trials: 4, countries: ["fr", "de"]),
        JobConfig(type: "medium", iterations: 200, trials: 5, countries: ["uk"]),
        JobConfig(type: "large", iterations: 300, trials: 7, countries: ["fr"]),
        JobConfig(type: "large", iterations: 400, trials: 8, countries: ["de"]),
    ]
}

/// Cost-model constants (the seed's `estimate_*` functions).
public struct Pricing: Codable, Sendable, Equatable {
    public var baseVCPU: Double
    public var baseMemoryGB: Double
    public var vcpuHourUSD: Double
    public var gbHourUSD: Double

    public init(baseVCPU: Double = 4, baseMemoryGB: Double = 16, vcpuHourUSD: Double = 0.072, gbHourUSD: Double = 0.008) {
        self.baseVCPU = baseVCPU
        self.baseMemoryGB = baseMemoryGB
        self.vcpuHourUSD = vcpuHourUSD
        self.gbHourUSD = gbHourUSD
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case baseVCPU = "base_vcpu"
        case baseMemoryGB = "base_memory_gb"
        case vcpuHourUSD = "vcpu_hour_usd"
        case gbHourUSD = "gb_hour_usd"
    }
}

/// The fields of the `POST /train` body that do not depend on the job (the seed's `run_single_baseline_job`).
public struct PayloadTemplate: Codable, Sendable, Equatable {
    public var revision: String
    public var baselineTest: Bool
    public var paidMediaSpends: [String]
    public var paidMediaVars: [String]
    public var contextVars: [String]
    public var factorVars: [String]
    public var organicVars: [String]

    public init(
        revision: String = "baseline",
        baselineTest: Bool = true,
        paidMediaSpends: [String] = ["GA_SUPPLY_COST", "GA_DEMAND_COST", "META_DEMAND_COST"],
        paidMediaVars: [String] = ["GA_SUPPLY_COST", "GA_DEMAND_COST", "META_DEMAND_COST"],
        contextVars: [String] = ["IS_WEEKEND"],
        factorVars: [String] = ["IS_WEEKEND"],
        organicVars: [String] = ["ORGANIC_TRAFFIC"]
    ) {
        self.revision = revision
        self.baselineTest = baselineTest
        self.paidMediaSpends = paidMediaSpends
        self.paidMediaVars = paidMediaVars
        self.contextVars = contextVars
        self.factorVars = factorVars
        self.organicVars = organicVars
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case revision
        case baselineTest = "baseline_test"
        case paidMediaSpends = "paid_media_spends"
        case paidMediaVars = "paid_media_vars"
        case contextVars = "context_vars"
        case factorVars = "factor_vars"
        case organicVars = "organic_vars"
    }
}
