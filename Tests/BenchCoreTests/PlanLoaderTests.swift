import BenchCore
import Testing

@Suite("Plan loading and validation")
struct PlanLoaderTests {
    @Test("an empty plan is the seed's defaults")
    func emptyPlanIsSeedDefault() throws {
        let plan = try PlanLoader.load(text: "")
        #expect(plan == Plan.seedDefault)
        #expect(plan.days == 3)
        #expect(plan.jobs.count == 6)
        #expect(plan.jobsPerDay == 9)
        #expect(plan.timeoutSeconds == 7200)
        #expect(plan.jobGapSeconds == 30)
        #expect(plan.dayGapSeconds == 4 * 3600)
        #expect(plan.pricing == Pricing(baseVCPU: 4, baseMemoryGB: 16, vcpuHourUSD: 0.072, gbHourUSD: 0.008))
        #expect(plan.payload.paidMediaVars == ["GA_SUPPLY_COST", "GA_DEMAND_COST", "META_DEMAND_COST"])
    }

    @Test("YAML fields override defaults, others keep them")
    func yamlOverrides() throws {
        let plan = try PlanLoader.load(text: """
            days: 7
            job_gap_seconds: 0.5
            jobs:
              - {type: small, iterations: 10, trials: 1, countries: [fr, no]}
            payload:
              revision: r2
              organic_vars: []
            pricing:
              vcpu_hour_usd: 0.1
            """)
        #expect(plan.days == 7)
        #expect(plan.jobGapSeconds == 0.5)
        #expect(plan.dayGapSeconds == 14_400)
        #expect(plan.jobs == [JobConfig(type: "small", iterations: 10, trials: 1, countries: ["fr", "no"])])
        #expect(plan.payload.revision == "r2")
        #expect(plan.payload.organicVars.isEmpty)
        #expect(plan.payload.contextVars == ["IS_WEEKEND"])
        #expect(plan.pricing.vcpuHourUSD == 0.1)
        #expect(plan.pricing.gbHourUSD == 0.008)
    }

    @Test("JSON plans load too, and the canonical JSON round-trips")
    func jsonPlan() throws {
        let plan = try PlanLoader.load(text: #"{"days": 1, "timeout_seconds": 60, "max_in_flight": 4}"#)
        #expect(plan.days == 1)
        #expect(plan.timeoutSeconds == 60)
        #expect(plan.maxInFlight == 4)
        #expect(try Plan.fromCanonicalJSON(plan.canonicalJSON()) == plan)
        #expect(try Plan.fromCanonicalJSON(Plan().canonicalJSON()) == Plan())
    }

    @Test("every validation error names the field path and the reason", arguments: [
        ("days: 0", "days: must be > 0"),
        ("days: -2", "days: must be > 0"),
        ("days: three", "days: expected an integer, got a string (\"three\")"),
        ("days: 2.5", "days: expected an integer, got a number (2.5)"),
        ("jobs: []", "jobs: must list at least one job config"),
        ("jobs: {a: 1}", "jobs: expected a list of job configs, got a mapping"),
        ("jobs: [{type: s, iterations: 1, trials: 1, countries: [fr]}, {type: s, iterations: 1, trials: 1, countries: [fr]}, {type: s, iterations: 0, trials: 1, countries: [fr]}]",
         "jobs[2].iterations: must be > 0"),
        ("jobs: [{type: s, iterations: 1, trials: -1, countries: [fr]}]", "jobs[0].trials: must be > 0"),
        ("jobs: [{type: s, iterations: 1, countries: [fr]}]", "jobs[0].trials: is required"),
        ("jobs: [{type: s, iterations: 1, trials: 1, countries: []}]", "jobs[0].countries: must list at least one country"),
        ("jobs: [{type: s, iterations: 1, trials: 1, countries: [fr, fr]}]",
         "jobs[0].countries[1]: duplicate country 'fr' in this job config"),
        ("jobs: [{type: s, iterations: 1, trials: 1, countries: ['a b']}]",
         "jobs[0].countries[0]: must be a non-empty code of letters, digits, '-' or '_'"),
        ("jobs: [{type: '', iterations: 1, trials: 1, countries: [fr]}]", "jobs[0].type: must not be empty"),
        ("timeout_seconds: 0", "timeout_seconds: must be > 0"),
        ("job_gap_seconds: -1", "job_gap_seconds: must be >= 0"),
        ("day_gap_seconds: null", "day_gap_seconds: expected a number, got null"),
        ("pricing: {base_vcpu: 0}", "pricing.base_vcpu: must be > 0"),
        ("pricing: {gb_hour_usd: -0.1}", "pricing.gb_hour_usd: must be >= 0"),
        ("payload: {baseline_test: maybe}", "payload.baseline_test: expected true or false, got a string (\"maybe\")"),
        ("payload: {paid_media_vars: []}", "payload.paid_media_vars: must list at least one channel"),
        ("payload: {context_vars: IS_WEEKEND}", "payload.context_vars: expected a list of strings, got a string (\"IS_WEEKEND\")"),
        ("max_attempts: 0", "max_attempts: must be > 0"),
        ("- 1\n- 2", "expected a mapping, got a list"),
    ])
    func validationErrors(text: String, message: String) {
        #expect {
            try PlanLoader.load(text: text)
        } throws: { error in
            (error as? PlanError)?.description == message
        }
    }

    @Test("unknown keys are rejected with the key named, at every level")
    func unknownKeys() {
        for (text, path) in [
            ("dayz: 3", "dayz"), ("pricing: {vcpu_usd: 1}", "pricing.vcpu_usd"),
            ("jobs: [{type: s, iterations: 1, trials: 1, countries: [fr], weight: 2}]", "jobs[0].weight"),
            ("payload: {extra_vars: []}", "payload.extra_vars"),
        ] {
            #expect {
                try PlanLoader.load(text: text)
            } throws: { error in
                guard let error = error as? PlanError else { return false }
                return error.path == path && error.reason.hasPrefix("unknown key")
            }
        }
    }

    @Test("broken YAML is an error that says so")
    func brokenYAML() {
        #expect {
            try PlanLoader.load(text: "days: [1, 2", sourceName: "bad.yaml")
        } throws: { error in
            (error as? PlanError)?.reason.contains("bad.yaml is not valid YAML or JSON") == true
        }
    }

    @Test("a missing plan file is an error naming the file")
    func missingFile() {
        #expect {
            try PlanLoader.load(fileAt: "/nonexistent/plan.yaml")
        } throws: { error in
            (error as? PlanError)?.reason.contains("/nonexistent/plan.yaml") == true
        }
    }
}
