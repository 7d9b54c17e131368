import Yams

/// Reads the plan's `checks` section (docs/checks.md). Every key is optional; unknown keys are refused with their
/// path (`checks.load_handling.request: unknown key ...`), like the rest of the plan.
extension PlanNodeReader {
    /// The section, validated; nil when it sets nothing but defaults, so such a plan equals one without it.
    static func checks(_ node: Node, path: String) throws -> CheckPlan? {
        if node.tagName == .null { return nil }
        var plan = CheckPlan()
        for (key, value) in try mapping(node, path: path, allowed: CheckPlan.planKeys) {
            let keyPath = "\(path).\(key)"
            if let planKey = CheckPlan.CodingKeys(rawValue: key) {
                switch planKey {
                case .run:
                    let text = try string(value, path: keyPath)
                    guard let placement = CheckSuitePlacement(rawValue: text) else {
                        throw PlanError(path: keyPath, reason: "must be one of "
                            + CheckSuitePlacement.allCases.map(\.rawValue).joined(separator: ", ") + ", got '\(text)'")
                    }
                    plan.run = placement
                case .disabled:
                    plan.disabled = try checkKinds(value, path: keyPath)
                }
            } else {
                try readSetting(key, value, path: keyPath, into: &plan.settings)
            }
        }
        try PlanValidator.validateChecks(plan, path: path)
        return plan == CheckPlan() ? nil : plan
    }

    private static func checkKinds(_ node: Node, path: String) throws -> [CheckKind] {
        var kinds: [CheckKind] = []
        for (index, name) in try strings(node, path: path).enumerated() {
            guard let kind = CheckKind(name: name) else {
                throw PlanError(path: "\(path)[\(index)]", reason: "unknown check '\(name)' (known: "
                    + CheckKind.allCases.map(\.rawValue).joined(separator: ", ") + ", or their seed test names)")
            }
            guard !kinds.contains(kind) else {
                throw PlanError(path: "\(path)[\(index)]", reason: "check '\(kind.rawValue)' listed twice")
            }
            kinds.append(kind)
        }
        return kinds.sorted()
    }

    private static func readSetting(_ key: String, _ node: Node, path: String, into settings: inout CheckSettings)
        throws
    {
        switch CheckSettings.CodingKeys(rawValue: key) {
        case .requiredWarmComponents: settings.requiredWarmComponents = try strings(node, path: path)
        case .rollbackScript: settings.rollbackScript = try string(node, path: path)
        case .health:
            try fields(node, path, HealthThresholds.CodingKeys.self) { field, value, fieldPath in
                switch field {
                case .timeoutSeconds: settings.health.timeoutSeconds = try double(value, path: fieldPath)
                case .expectedStatus: settings.health.expectedStatus = try string(value, path: fieldPath)
                }
            }
        case .resourceAllocation:
            try fields(node, path, ResourceAllocationThresholds.CodingKeys.self) { field, value, fieldPath in
                switch field {
                case .timeoutSeconds: settings.resourceAllocation.timeoutSeconds = try double(value, path: fieldPath)
                case .maxCPUPercent: settings.resourceAllocation.maxCPUPercent = try double(value, path: fieldPath)
                }
            }
        case .containerWarming:
            try fields(node, path, ContainerWarmingThresholds.CodingKeys.self) { field, value, fieldPath in
                switch field {
                case .timeoutSeconds: settings.containerWarming.timeoutSeconds = try double(value, path: fieldPath)
                }
            }
        case .dataProcessing:
            try fields(node, path, DataProcessingThresholds.CodingKeys.self) { field, value, fieldPath in
                switch field {
                case .timeoutSeconds: settings.dataProcessing.timeoutSeconds = try double(value, path: fieldPath)
                case .maxSeconds: settings.dataProcessing.maxSeconds = try double(value, path: fieldPath)
                case .minCompressionRatio:
                    settings.dataProcessing.minCompressionRatio = try double(value, path: fieldPath)
                case .size: settings.dataProcessing.size = try string(value, path: fieldPath)
                case .format: settings.dataProcessing.format = try string(value, path: fieldPath)
                }
            }
        case .parallelProcessing:
            try fields(node, path, ParallelProcessingThresholds.CodingKeys.self) { field, value, fieldPath in
                switch field {
                case .requests: settings.parallelProcessing.requests = try int(value, path: fieldPath)
                case .timeoutSeconds: settings.parallelProcessing.timeoutSeconds = try double(value, path: fieldPath)
                }
            }
        case .performanceBenchmark:
            try fields(node, path, PerformanceBenchmarkThresholds.CodingKeys.self) { field, value, fieldPath in
                switch field {
                case .iterations: settings.performanceBenchmark.iterations = try int(value, path: fieldPath)
                case .trials: settings.performanceBenchmark.trials = try int(value, path: fieldPath)
                case .country: settings.performanceBenchmark.country = try string(value, path: fieldPath)
                case .expectedDurationMinutes:
                    settings.performanceBenchmark.expectedDurationMinutes = try double(value, path: fieldPath)
                case .maxMinutes: settings.performanceBenchmark.maxMinutes = try double(value, path: fieldPath)
                case .timeoutSeconds: settings.performanceBenchmark.timeoutSeconds = try double(value, path: fieldPath)
                }
            }
        case .errorHandling:
            try fields(node, path, ErrorHandlingThresholds.CodingKeys.self) { field, value, fieldPath in
                switch field {
                case .timeoutSeconds: settings.errorHandling.timeoutSeconds = try double(value, path: fieldPath)
                case .healthTimeoutSeconds:
                    settings.errorHandling.healthTimeoutSeconds = try double(value, path: fieldPath)
                case .acceptedStatuses: settings.errorHandling.acceptedStatuses = try ints(value, path: fieldPath)
                }
            }
        case .costEfficiency:
            try fields(node, path, CostEfficiencyThresholds.CodingKeys.self) { field, value, fieldPath in
                switch field {
                case .timeoutSeconds: settings.costEfficiency.timeoutSeconds = try double(value, path: fieldPath)
                case .minCPUPercent: settings.costEfficiency.minCPUPercent = try double(value, path: fieldPath)
                case .maxCPUPercent: settings.costEfficiency.maxCPUPercent = try double(value, path: fieldPath)
                case .minMemoryPercent: settings.costEfficiency.minMemoryPercent = try double(value, path: fieldPath)
                case .maxMemoryPercent: settings.costEfficiency.maxMemoryPercent = try double(value, path: fieldPath)
                }
            }
        case .loadHandling:
            try fields(node, path, LoadHandlingThresholds.CodingKeys.self) { field, value, fieldPath in
                switch field {
                case .requests: settings.loadHandling.requests = try int(value, path: fieldPath)
                case .timeoutSeconds: settings.loadHandling.timeoutSeconds = try double(value, path: fieldPath)
                case .minSuccessRate: settings.loadHandling.minSuccessRate = try double(value, path: fieldPath)
                }
            }
        case .rollback:
            try fields(node, path, RollbackThresholds.CodingKeys.self) { field, value, fieldPath in
                switch field {
                case .timeoutSeconds: settings.rollback.timeoutSeconds = try double(value, path: fieldPath)
                case .arguments: settings.rollback.arguments = try strings(value, path: fieldPath)
                }
            }
        case nil: break  // `mapping` already rejected unknown keys
        }
    }

    /// Calls `read` for every key of a per-check mapping, refusing keys the check does not have.
    private static func fields<Key: CodingKey & CaseIterable & RawRepresentable<String>>(
        _ node: Node, _ path: String, _: Key.Type, _ read: (Key, Node, String) throws -> Void
    ) throws {
        let allowed = Key.allCases.map(\.rawValue)
        for (key, value) in try mapping(node, path: path, allowed: allowed) {
            guard let field = Key(rawValue: key) else { continue }
            try read(field, value, "\(path).\(key)")
        }
    }

    private static func ints(_ node: Node, path: String) throws -> [Int] {
        guard let items = node.sequence else {
            throw PlanError(path: path, reason: "expected a list of integers, got \(kind(of: node))")
        }
        return try items.enumerated().map { try int($1, path: "\(path)[\($0)]") }
    }
}
