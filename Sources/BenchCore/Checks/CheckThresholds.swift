/// Per-check settings of ``CheckSettings``. Every default is the seed's value; a plan's `checks.<check>` mapping
/// overrides any of them (keys are the `CodingKeys` raw values). Comparisons are strict, as the seed's
/// `assertLess`/`assertGreater`.

/// `test_01_health_endpoint_response`.
public struct HealthThresholds: Codable, Sendable, Equatable {
    /// Timeout of `GET /health` (seed: 30 s).
    public var timeoutSeconds: Double = 30
    /// The `status` the body must carry (seed: `healthy`).
    public var expectedStatus: String = "healthy"

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case timeoutSeconds = "timeout_seconds"
        case expectedStatus = "expected_status"
    }
}

/// `test_02_resource_allocation`.
public struct ResourceAllocationThresholds: Codable, Sendable, Equatable {
    public var timeoutSeconds: Double = 30
    /// `checks.cpu_usage` must be below this (seed: 90).
    public var maxCPUPercent: Double = 90

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case timeoutSeconds = "timeout_seconds"
        case maxCPUPercent = "max_cpu_percent"
    }
}

/// `test_03_container_warming` (the components themselves are ``CheckSettings/requiredWarmComponents``).
public struct ContainerWarmingThresholds: Codable, Sendable, Equatable {
    public var timeoutSeconds: Double = 30

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case timeoutSeconds = "timeout_seconds"
    }
}

/// `test_04_parquet_data_processing`.
public struct DataProcessingThresholds: Codable, Sendable, Equatable {
    /// Timeout of the request (seed: 60 s).
    public var timeoutSeconds: Double = 60
    /// The round trip measured by the client must be below this (seed: 10 s).
    public var maxSeconds: Double = 10
    /// `compression_ratio` must be above this (seed: 0.2, "at least 20% compression").
    public var minCompressionRatio: Double = 0.2
    /// `size` of the request body (seed: `small`).
    public var size: String = "small"
    /// `format` of the request body (seed: `parquet`).
    public var format: String = "parquet"

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case timeoutSeconds = "timeout_seconds"
        case maxSeconds = "max_seconds"
        case minCompressionRatio = "min_compression_ratio"
        case size, format
    }
}

/// `test_05_parallel_processing_capability`.
public struct ParallelProcessingThresholds: Codable, Sendable, Equatable {
    /// Requests sent at once (seed: 4); every one must answer `status: success`.
    public var requests: Int = 4
    /// Timeout of each request (seed: 30 s).
    public var timeoutSeconds: Double = 30

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case requests
        case timeoutSeconds = "timeout_seconds"
    }
}

/// `test_06_performance_benchmark`.
public struct PerformanceBenchmarkThresholds: Codable, Sendable, Equatable {
    public var iterations: Int = 50
    public var trials: Int = 2
    /// `country` of the benchmark job (seed: `test`).
    public var country: String = "test"
    /// Sent as `expected_duration_minutes` (seed: 15, the optimized target); informational for the trainer.
    public var expectedDurationMinutes: Double = 15
    /// The job must answer 200 in less than this (seed: 20 minutes).
    public var maxMinutes: Double = 20
    /// Timeout of the request (seed: `test_timeout`, 300 s). A job slower than this is an error (no answer),
    /// one between this and `max_minutes` cannot happen unless the timeout is raised.
    public var timeoutSeconds: Double = 300

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case iterations, trials, country
        case expectedDurationMinutes = "expected_duration_minutes"
        case maxMinutes = "max_minutes"
        case timeoutSeconds = "timeout_seconds"
    }
}

/// `test_07_error_handling_and_recovery`.
public struct ErrorHandlingThresholds: Codable, Sendable, Equatable {
    /// Timeout of the invalid `POST /train` (seed: 30 s).
    public var timeoutSeconds: Double = 30
    /// Timeout of the `GET /health` that follows (seed: 10 s).
    public var healthTimeoutSeconds: Double = 10
    /// Statuses that count as a graceful refusal (seed: 400, 422).
    public var acceptedStatuses: [Int] = [400, 422]

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case timeoutSeconds = "timeout_seconds"
        case healthTimeoutSeconds = "health_timeout_seconds"
        case acceptedStatuses = "accepted_statuses"
    }
}

/// `test_08_cost_efficiency_validation`: the band a well-sized deployment's usage lies in.
public struct CostEfficiencyThresholds: Codable, Sendable, Equatable {
    public var timeoutSeconds: Double = 30
    /// `cpu_usage` must be above this ("resources may be wasted", seed: 5).
    public var minCPUPercent: Double = 5
    /// `cpu_usage` must be below this ("may need more resources", seed: 85).
    public var maxCPUPercent: Double = 85
    /// `memory_usage` must be above this (seed: 10).
    public var minMemoryPercent: Double = 10
    /// `memory_usage` must be below this (seed: 85).
    public var maxMemoryPercent: Double = 85

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case timeoutSeconds = "timeout_seconds"
        case minCPUPercent = "min_cpu_percent"
        case maxCPUPercent = "max_cpu_percent"
        case minMemoryPercent = "min_memory_percent"
        case maxMemoryPercent = "max_memory_percent"
    }
}

/// `test_09_load_handling`.
public struct LoadHandlingThresholds: Codable, Sendable, Equatable {
    /// Requests sent at once (seed: 5).
    public var requests: Int = 5
    /// Timeout of each request (seed: 60 s).
    public var timeoutSeconds: Double = 60
    /// The share of requests answered 200 must be above this (seed: 0.8, so 5 of 5 with the seed's 5 requests).
    public var minSuccessRate: Double = 0.8

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case requests
        case timeoutSeconds = "timeout_seconds"
        case minSuccessRate = "min_success_rate"
    }
}

/// `test_10_rollback_capability` (the script path is ``CheckSettings/rollbackScript``).
public struct RollbackThresholds: Codable, Sendable, Equatable {
    /// How long the dry run may take (seed: 30 s).
    public var timeoutSeconds: Double = 30
    /// Arguments of the dry run (seed: `--dry-run`).
    public var arguments: [String] = ["--dry-run"]

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case timeoutSeconds = "timeout_seconds"
        case arguments
    }
}
