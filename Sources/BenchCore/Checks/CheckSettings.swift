/// Everything the ten checks need besides the trainer URL: thresholds, request sizes, timeouts, the warm components
/// to require and the rollback script. Every default is the seed's, except the two documented below.
///
/// A plan's `checks` section overrides any field (see docs/checks.md); ``CheckTask`` carries the settings to an
/// agent, so a check runs the same wherever it runs. `Codable` for the store's `check_suite_run.settings_json` column;
/// on the wire it is read and written by BenchProtocol's `CheckSettings+Wire.swift`, with the same keys.
public struct CheckSettings: Codable, Sendable, Equatable {
    /// Components `warm_status` must report true (container warming check).
    ///
    /// Default: the reference trainer's real components, ``referenceTrainerWarmComponents``. The seed required
    /// `python`, `gcs` and `container_ready` (``seedWarmComponents``), which only its Cloud Run container reports;
    /// set `checks.required_warm_components` to those when checking that service.
    public var requiredWarmComponents: [String] = CheckSettings.referenceTrainerWarmComponents
    /// Path of the rollback script, relative to the working directory of the process running the check.
    ///
    /// Default: `deploy/rollback.sh`, mmmbench's own rollback script. The seed used
    /// `scripts/rollback_optimizations.sh` (``seedRollbackScript``).
    public var rollbackScript: String = CheckSettings.defaultRollbackScript
    public var health = HealthThresholds()
    public var resourceAllocation = ResourceAllocationThresholds()
    public var containerWarming = ContainerWarmingThresholds()
    public var dataProcessing = DataProcessingThresholds()
    public var parallelProcessing = ParallelProcessingThresholds()
    public var performanceBenchmark = PerformanceBenchmarkThresholds()
    public var errorHandling = ErrorHandlingThresholds()
    public var costEfficiency = CostEfficiencyThresholds()
    public var loadHandling = LoadHandlingThresholds()
    public var rollback = RollbackThresholds()

    /// The warm components the reference trainer (`mmmbench trainer`) reports.
    public static let referenceTrainerWarmComponents = ["container_ready", "datasets", "solver"]
    /// The warm components the seed's test required.
    public static let seedWarmComponents = ["python", "gcs", "container_ready"]
    /// mmmbench's rollback script.
    public static let defaultRollbackScript = "deploy/rollback.sh"
    /// The seed's rollback script path.
    public static let seedRollbackScript = "scripts/rollback_optimizations.sh"

    /// Every setting at its default.
    public init() {}

    /// The plan keys of the settings: the per-check mappings are named by ``CheckKind`` raw values.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case requiredWarmComponents = "required_warm_components"
        case rollbackScript = "rollback_script"
        case health
        case resourceAllocation = "resource_allocation"
        case containerWarming = "container_warming"
        case dataProcessing = "data_processing"
        case parallelProcessing = "parallel_processing"
        case performanceBenchmark = "performance_benchmark"
        case errorHandling = "error_handling"
        case costEfficiency = "cost_efficiency"
        case loadHandling = "load_handling"
        case rollback
    }

    /// How long a whole check may take at most with these settings (requests, plus the follow-up request of the
    /// error handling check), for a coordinator sizing a `check` task's lease.
    public func worstCaseSeconds(for kind: CheckKind) -> Double {
        switch kind {
        case .health: health.timeoutSeconds
        case .resourceAllocation: resourceAllocation.timeoutSeconds
        case .containerWarming: containerWarming.timeoutSeconds
        case .dataProcessing: dataProcessing.timeoutSeconds
        case .parallelProcessing: parallelProcessing.timeoutSeconds
        case .performanceBenchmark: performanceBenchmark.timeoutSeconds
        case .errorHandling: errorHandling.timeoutSeconds + errorHandling.healthTimeoutSeconds
        case .costEfficiency: costEfficiency.timeoutSeconds
        case .loadHandling: loadHandling.timeoutSeconds
        case .rollback: rollback.timeoutSeconds + RollbackObservation.terminationGraceSeconds
        }
    }

    /// Number of concurrent requests of a concurrent check (0 for the others).
    public func concurrentRequests(for kind: CheckKind) -> Int {
        switch kind {
        case .parallelProcessing: parallelProcessing.requests
        case .loadHandling: loadHandling.requests
        default: 0
        }
    }
}
