/// Range checks of a plan's `checks` section, each failure naming the field path under `checks`.
extension PlanValidator {
    /// Longest timeout or limit accepted, in seconds (a day).
    static let maxCheckSeconds: Double = 86_400

    static func validateChecks(_ plan: CheckPlan, path: String = "checks") throws {
        let settings = plan.settings
        func at(_ key: String) -> String { "\(path).\(key)" }
        func timeout(_ value: Double, _ key: String) throws {
            try positive(value, at(key))
            if value > maxCheckSeconds { throw PlanError(path: at(key), reason: "must be <= \(Int(maxCheckSeconds))") }
        }
        func percent(_ value: Double, _ key: String) throws {
            guard (0...100).contains(value) else { throw PlanError(path: at(key), reason: "must be in 0...100") }
        }
        func requests(_ value: Int, _ key: String) throws {
            guard (1...1_000).contains(value) else { throw PlanError(path: at(key), reason: "must be in 1...1000") }
        }
        func nonEmpty(_ value: String, _ key: String) throws {
            if value.trimmingWhitespace().isEmpty { throw PlanError(path: at(key), reason: "must not be empty") }
        }

        for (index, component) in settings.requiredWarmComponents.enumerated() {
            try nonEmpty(component, "required_warm_components[\(index)]")
        }
        try nonEmpty(settings.rollbackScript, "rollback_script")
        try timeout(settings.health.timeoutSeconds, "health.timeout_seconds")
        try nonEmpty(settings.health.expectedStatus, "health.expected_status")
        try timeout(settings.resourceAllocation.timeoutSeconds, "resource_allocation.timeout_seconds")
        try percent(settings.resourceAllocation.maxCPUPercent, "resource_allocation.max_cpu_percent")
        try timeout(settings.containerWarming.timeoutSeconds, "container_warming.timeout_seconds")

        try timeout(settings.dataProcessing.timeoutSeconds, "data_processing.timeout_seconds")
        try timeout(settings.dataProcessing.maxSeconds, "data_processing.max_seconds")
        guard (0..<1).contains(settings.dataProcessing.minCompressionRatio) else {
            throw PlanError(path: at("data_processing.min_compression_ratio"), reason: "must be in [0, 1)")
        }
        try nonEmpty(settings.dataProcessing.size, "data_processing.size")
        try nonEmpty(settings.dataProcessing.format, "data_processing.format")

        try requests(settings.parallelProcessing.requests, "parallel_processing.requests")
        try timeout(settings.parallelProcessing.timeoutSeconds, "parallel_processing.timeout_seconds")

        try positive(settings.performanceBenchmark.iterations, at("performance_benchmark.iterations"))
        try positive(settings.performanceBenchmark.trials, at("performance_benchmark.trials"))
        try nonEmpty(settings.performanceBenchmark.country, "performance_benchmark.country")
        try positive(settings.performanceBenchmark.maxMinutes, at("performance_benchmark.max_minutes"))
        try nonNegative(settings.performanceBenchmark.expectedDurationMinutes,
                        at("performance_benchmark.expected_duration_minutes"))
        try timeout(settings.performanceBenchmark.timeoutSeconds, "performance_benchmark.timeout_seconds")

        try timeout(settings.errorHandling.timeoutSeconds, "error_handling.timeout_seconds")
        try timeout(settings.errorHandling.healthTimeoutSeconds, "error_handling.health_timeout_seconds")
        if settings.errorHandling.acceptedStatuses.isEmpty {
            throw PlanError(path: at("error_handling.accepted_statuses"), reason: "must list at least one status")
        }
        let statuses = settings.errorHandling.acceptedStatuses
        for (index, status) in statuses.enumerated() where !(100...599).contains(status) {
            throw PlanError(path: at("error_handling.accepted_statuses[\(index)]"), reason: "must be in 100...599")
        }

        let cost = settings.costEfficiency
        try timeout(cost.timeoutSeconds, "cost_efficiency.timeout_seconds")
        let bounds = [
            (cost.minCPUPercent, "min_cpu_percent"), (cost.maxCPUPercent, "max_cpu_percent"),
            (cost.minMemoryPercent, "min_memory_percent"), (cost.maxMemoryPercent, "max_memory_percent"),
        ]
        for (value, key) in bounds {
            try percent(value, "cost_efficiency.\(key)")
        }
        if cost.minCPUPercent >= cost.maxCPUPercent {
            throw PlanError(path: at("cost_efficiency.min_cpu_percent"), reason: "must be below max_cpu_percent")
        }
        if cost.minMemoryPercent >= cost.maxMemoryPercent {
            throw PlanError(path: at("cost_efficiency.min_memory_percent"), reason: "must be below max_memory_percent")
        }

        try requests(settings.loadHandling.requests, "load_handling.requests")
        try timeout(settings.loadHandling.timeoutSeconds, "load_handling.timeout_seconds")
        guard (0..<1).contains(settings.loadHandling.minSuccessRate) else {
            throw PlanError(path: at("load_handling.min_success_rate"),
                            reason: "must be in [0, 1) (the rate must be above it, so 1 could never pass)")
        }
        try timeout(settings.rollback.timeoutSeconds, "rollback.timeout_seconds")
    }
}
