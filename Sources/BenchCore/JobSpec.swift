/// One job of the matrix: a (day, config, country) cell with everything needed to run and report it.
public struct JobSpec: Sendable, Hashable {
    /// `baseline-{day}-{configIndex}-{country}`, 1-based, as the seed names jobs.
    public var id: String
    /// Position in the matrix order (day, then config, then country), 0-based; the order jobs are handed out.
    public var ordinal: Int
    /// 1-based day.
    public var day: Int
    /// 1-based index of the job config in the plan.
    public var configIndex: Int
    public var country: String
    public var jobType: String
    public var iterations: Int
    public var trials: Int
    /// Labels an agent must carry to run this job (its config's `labels`); empty: any agent.
    public var labels: [String: String]
    /// The side of an A/B collection this task measures (`baseline`/`candidate`); nil with one target.
    public var target: String?

    public init(
        id: String, ordinal: Int, day: Int, configIndex: Int, country: String, jobType: String, iterations: Int,
        trials: Int, labels: [String: String] = [:]
    ) {
        self.id = id
        self.ordinal = ordinal
        self.day = day
        self.configIndex = configIndex
        self.country = country
        self.jobType = jobType
        self.iterations = iterations
        self.trials = trials
        self.labels = labels
        self.target = nil
    }

    /// True when `agentLabels` carries every label of the job with the same value.
    public func canRun(onAgentWith agentLabels: [String: String]) -> Bool {
        labels.allSatisfy { agentLabels[$0.key] == $0.value }
    }

    /// The seed's job id format.
    public static func makeID(day: Int, configIndex: Int, country: String) -> String {
        "baseline-\(day)-\(configIndex)-\(country)"
    }
}

extension Plan {
    /// Expands the plan into its job matrix in the seed's order: for each day, each config, each country.
    public func expandJobs() -> [JobSpec] {
        guard days > 0 else { return [] }
        var result: [JobSpec] = []
        result.reserveCapacity(days * jobsPerDay)
        for day in 1...days {
            for (index, config) in jobs.enumerated() {
                for country in config.countries {
                    result.append(
                        JobSpec(
                            id: JobSpec.makeID(day: day, configIndex: index + 1, country: country),
                            ordinal: result.count, day: day, configIndex: index + 1, country: country,
                            jobType: config.type, iterations: config.iterations, trials: config.trials,
                            labels: config.labels
                        )
                    )
                }
            }
        }
        return result
    }
}
