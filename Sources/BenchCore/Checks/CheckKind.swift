/// One of the ten optimization checks of the seed's `automated_test_suite.py`, in the seed's order.
///
/// The raw value is the check's short name, used in plan files (`checks.disabled: [cost_efficiency]`) and in JSON.
/// Reports name a check by its seed test name (`test_08_cost_efficiency_validation`) and describe it with the seed's
/// docstring, so a report reads like the seed's.
public enum CheckKind: String, Codable, Sendable, CaseIterable, Comparable {
    /// `GET /health` answers 200 with `status: healthy` and a `warm_status` object.
    case health = "health"
    /// `GET /health` reports `checks.cpu_usage` and `checks.memory_usage`, CPU below the limit.
    case resourceAllocation = "resource_allocation"
    /// `GET /health` reports every required component warm in `warm_status`.
    case containerWarming = "container_warming"
    /// `POST /api/test-data-processing` answers 200 in time with a good enough `compression_ratio`.
    case dataProcessing = "data_processing"
    /// Concurrent `POST /api/test-parallel` requests all answer `status: success`.
    case parallelProcessing = "parallel_processing"
    /// A small `POST /train` job (50 iterations, 2 trials) answers 200 within the limit.
    case performanceBenchmark = "performance_benchmark"
    /// An invalid `POST /train` payload is refused with 400/422 and `/health` still answers 200 afterwards.
    case errorHandling = "error_handling"
    /// `/health` CPU and memory usage lie inside the efficient band.
    case costEfficiency = "cost_efficiency"
    /// Concurrent `POST /api/load-test` requests succeed at more than the minimum rate.
    case loadHandling = "load_handling"
    /// The rollback script exists, is executable and its `--dry-run` exits 0.
    case rollback = "rollback"

    /// 1...10, the seed's numbering.
    public var number: Int {
        (Self.allCases.firstIndex(of: self) ?? 0) + 1
    }

    /// The seed's unittest method name, e.g. `test_01_health_endpoint_response`.
    public var seedTestName: String {
        switch self {
        case .health: "test_01_health_endpoint_response"
        case .resourceAllocation: "test_02_resource_allocation"
        case .containerWarming: "test_03_container_warming"
        case .dataProcessing: "test_04_parquet_data_processing"
        case .parallelProcessing: "test_05_parallel_processing_capability"
        case .performanceBenchmark: "test_06_performance_benchmark"
        case .errorHandling: "test_07_error_handling_and_recovery"
        case .costEfficiency: "test_08_cost_efficiency_validation"
        case .loadHandling: "test_09_load_handling"
        case .rollback: "test_10_rollback_capability"
        }
    }

    /// The seed's docstring of the test, the description in reports.
    public var seedDescription: String {
        switch self {
        case .health: "Test that health endpoint responds correctly"
        case .resourceAllocation: "Test that optimized resources are properly allocated"
        case .containerWarming: "Test container warming functionality"
        case .dataProcessing: "Test Parquet data processing performance"
        case .parallelProcessing: "Test that parallel processing is working"
        case .performanceBenchmark: "Test performance improvements with benchmark job"
        case .errorHandling: "Test error handling with invalid inputs"
        case .costEfficiency: "Validate that optimizations improve cost efficiency"
        case .loadHandling: "Test handling of concurrent load"
        case .rollback: "Test that rollback mechanisms work"
        }
    }

    /// Checks made of concurrent requests, which can be split into shares run by several agents
    /// (``CheckShare``) and combined with ``CheckOutcome/combining(shares:kind:settings:)``.
    public var isConcurrent: Bool {
        self == .parallelProcessing || self == .loadHandling
    }

    /// False only for the rollback check, which runs a local script instead of calling the trainer.
    public var callsTrainer: Bool { self != .rollback }

    /// A check by its short name (`load_handling`) or its seed test name (`test_09_load_handling`).
    public init?(name: String) {
        if let kind = CheckKind(rawValue: name) {
            self = kind
        } else if let kind = Self.allCases.first(where: { $0.seedTestName == name }) {
            self = kind
        } else {
            return nil
        }
    }

    public static func < (lhs: CheckKind, rhs: CheckKind) -> Bool { lhs.number < rhs.number }
}
