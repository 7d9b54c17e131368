import BenchCore
import Testing

@Suite("Plan: checks section")
struct CheckPlanTests {
    @Test("without a checks section every threshold is the seed's, and the suite is not part of collections")
    func seedDefaults() throws {
        let plan = try PlanLoader.load(text: "days: 1")
        #expect(plan.checks == nil)
        let checks = plan.checkPlan
        #expect(checks.run == .none)
        #expect(checks.enabledChecks == CheckKind.allCases)
        let s = checks.settings
        #expect(s.health.timeoutSeconds == 30 && s.health.expectedStatus == "healthy")
        #expect(s.resourceAllocation.maxCPUPercent == 90)
        #expect(s.dataProcessing.maxSeconds == 10 && s.dataProcessing.minCompressionRatio == 0.2)
        #expect(s.dataProcessing.timeoutSeconds == 60 && s.dataProcessing.size == "small")
        #expect(s.parallelProcessing.requests == 4 && s.parallelProcessing.timeoutSeconds == 30)
        #expect(s.performanceBenchmark.iterations == 50 && s.performanceBenchmark.trials == 2)
        #expect(s.performanceBenchmark.maxMinutes == 20 && s.performanceBenchmark.timeoutSeconds == 300)
        #expect(s.errorHandling.acceptedStatuses == [400, 422] && s.errorHandling.healthTimeoutSeconds == 10)
        #expect(s.costEfficiency.minCPUPercent == 5 && s.costEfficiency.maxCPUPercent == 85)
        #expect(s.costEfficiency.minMemoryPercent == 10 && s.costEfficiency.maxMemoryPercent == 85)
        #expect(s.loadHandling.requests == 5 && s.loadHandling.minSuccessRate == 0.8)
        #expect(s.loadHandling.timeoutSeconds == 60)
        #expect(s.rollback.arguments == ["--dry-run"] && s.rollback.timeoutSeconds == 30)
        // Documented deviations from the seed: our trainer's components and our rollback script.
        #expect(s.requiredWarmComponents == ["container_ready", "datasets", "solver"])
        #expect(CheckSettings.seedWarmComponents == ["python", "gcs", "container_ready"])
        #expect(s.rollbackScript == "deploy/rollback.sh")
    }

    @Test("the section overrides thresholds, components, script, disabled checks and placement")
    func overrides() throws {
        let plan = try PlanLoader.load(text: """
            checks:
              run: both
              disabled: [cost_efficiency, test_10_rollback_capability]
              required_warm_components: [python, gcs, container_ready]
              rollback_script: scripts/rollback_optimizations.sh
              data_processing: {max_seconds: 5, min_compression_ratio: 0.5}
              load_handling: {requests: 8, min_success_rate: 0.5}
              error_handling: {accepted_statuses: [400]}
            """)
        let checks = try #require(plan.checks)
        #expect(checks.run == .both)
        #expect(checks.run.phases == [.before, .after])
        #expect(checks.disabled == [.costEfficiency, .rollback])
        #expect(!checks.enabledChecks.contains(.costEfficiency) && checks.enabledChecks.count == 8)
        #expect(checks.settings.requiredWarmComponents == CheckSettings.seedWarmComponents)
        #expect(checks.settings.rollbackScript == CheckSettings.seedRollbackScript)
        #expect(checks.settings.dataProcessing.maxSeconds == 5)
        #expect(checks.settings.dataProcessing.minCompressionRatio == 0.5)
        #expect(checks.settings.dataProcessing.timeoutSeconds == 60, "unset keys keep the seed's value")
        #expect(checks.settings.loadHandling.requests == 8)
        #expect(checks.settings.errorHandling.acceptedStatuses == [400])
    }

    @Test("unknown keys and bad values are refused with their path", arguments: [
        ("checks: {runs: after}", "checks.runs"),
        ("checks: {run: sometimes}", "checks.run"),
        ("checks: {disabled: [health_check]}", "checks.disabled[0]"),
        ("checks: {disabled: [health, test_01_health_endpoint_response]}", "checks.disabled[1]"),
        ("checks: {load_handling: {request: 5}}", "checks.load_handling.request"),
        ("checks: {load_handling: {requests: 0}}", "checks.load_handling.requests"),
        ("checks: {load_handling: {min_success_rate: 1}}", "checks.load_handling.min_success_rate"),
        ("checks: {data_processing: {max_seconds: -1}}", "checks.data_processing.max_seconds"),
        ("checks: {cost_efficiency: {min_cpu_percent: 90}}", "checks.cost_efficiency.min_cpu_percent"),
        ("checks: {error_handling: {accepted_statuses: [700]}}", "checks.error_handling.accepted_statuses[0]"),
        ("checks: {rollback_script: ''}", "checks.rollback_script"),
        ("checks: {health: {timeout_seconds: fast}}", "checks.health.timeout_seconds"),
        ("checks: {required_warm_components: solver}", "checks.required_warm_components"),
    ])
    func refused(text: String, path: String) {
        #expect {
            _ = try PlanLoader.load(text: text)
        } throws: { error in
            (error as? PlanError)?.path == path
        }
    }

    @Test("canonical JSON: absent without a section, round-trips with one; a section of defaults equals none")
    func canonicalJSON() throws {
        #expect(!Plan().canonicalJSON().contains("checks"))
        #expect(try PlanLoader.load(text: "checks: {run: none}") == Plan())
        let plan = try PlanLoader.load(text: """
            checks: {run: after, disabled: [rollback], health: {expected_status: ok}, rollback: {arguments: [-n]}}
            """)
        let stored = plan.canonicalJSON()
        #expect(stored.contains("\"checks\""))
        #expect(try Plan.fromCanonicalJSON(stored) == plan)
        #expect(PlanDifference.describe(stored: Plan(), requested: plan).contains("checks"))
    }

    @Test("check tasks: one per enabled check, the concurrent ones split into non-empty shares")
    func tasks() throws {
        var plan = CheckPlan(disabled: [.rollback])
        plan.settings.parallelProcessing.requests = 2
        let tasks = CheckTask.tasks(suiteRunID: "s-1", phase: .after, plan: plan, concurrentShares: 3)
        let parallel = tasks.filter { $0.check == .parallelProcessing }
        let load = tasks.filter { $0.check == .loadHandling }
        #expect(parallel.map { $0.share?.count } == [2, 2], "2 requests cannot make 3 shares")
        #expect(load.compactMap(\.share) == CheckShare.split(requests: 5, count: 3))
        #expect(tasks.filter { !$0.check.isConcurrent }.count == 7)
        #expect(!tasks.contains { $0.check == .rollback })
        let share = try CheckShare(index: 1, count: 2)
        #expect(share.requestIDs(total: 5) == [1, 3])
        #expect(throws: CheckShareError.self) { try CheckShare(index: 2, count: 2) }
    }
}
