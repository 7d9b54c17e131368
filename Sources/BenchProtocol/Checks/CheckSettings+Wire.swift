import BenchCore
import BenchJSON

/// The `settings` member of a check payload (docs/protocol.md, "Task payloads"): every ``CheckSettings`` key, as in a
/// plan's `checks` section, each per-check object with every one of its keys. The one reader (the agent's) and the
/// one writer (the coordinator's) of these members on the wire. (`CheckSettings` keeps its `Codable` conformance for
/// the store's `check_suite_run.settings_json` column, whose keys are the same.)
extension CheckSettings {
    /// The settings as JSON.
    var wireValue: JSONValue {
        .object([
            "required_warm_components": .array(requiredWarmComponents.map(JSONValue.string)),
            "rollback_script": .string(rollbackScript),
            "health": health.thresholdsValue,
            "resource_allocation": resourceAllocation.thresholdsValue,
            "container_warming": containerWarming.thresholdsValue,
            "data_processing": dataProcessing.thresholdsValue,
            "parallel_processing": parallelProcessing.thresholdsValue,
            "performance_benchmark": performanceBenchmark.thresholdsValue,
            "error_handling": errorHandling.thresholdsValue,
            "cost_efficiency": costEfficiency.thresholdsValue,
            "load_handling": loadHandling.thresholdsValue,
            "rollback": rollback.thresholdsValue,
        ])
    }

    /// Reads the settings object; every member is required.
    init(wireFields fields: CheckFields) throws(CheckWireError) {
        self.init()
        requiredWarmComponents = try fields.strings("required_warm_components")
        rollbackScript = try fields.string("rollback_script")
        health = try .init(thresholds: fields.object("health"))
        resourceAllocation = try .init(thresholds: fields.object("resource_allocation"))
        containerWarming = try .init(thresholds: fields.object("container_warming"))
        dataProcessing = try .init(thresholds: fields.object("data_processing"))
        parallelProcessing = try .init(thresholds: fields.object("parallel_processing"))
        performanceBenchmark = try .init(thresholds: fields.object("performance_benchmark"))
        errorHandling = try .init(thresholds: fields.object("error_handling"))
        costEfficiency = try .init(thresholds: fields.object("cost_efficiency"))
        loadHandling = try .init(thresholds: fields.object("load_handling"))
        rollback = try .init(thresholds: fields.object("rollback"))
    }
}

/// One member of a per-check settings object: its JSON key and the property it is read into and written from.
enum ThresholdMember<Root> {
    case number(String, WritableKeyPath<Root, Double>)
    case integer(String, WritableKeyPath<Root, Int>)
    case text(String, WritableKeyPath<Root, String>)
    case texts(String, WritableKeyPath<Root, [String]>)
    case integers(String, WritableKeyPath<Root, [Int]>)
}

/// A per-check settings object of ``CheckSettings`` (`health`, `load_handling`...): the table of its members is its
/// wire format; reading and writing go through the table.
protocol WireThresholds {
    init()
    /// Every member, with its key (the plan key of docs/checks.md).
    static var wireMembers: [ThresholdMember<Self>] { get }
}

extension WireThresholds {
    /// The object with every member.
    var thresholdsValue: JSONValue {
        var members: [String: JSONValue] = [:]
        for member in Self.wireMembers {
            switch member {
            case .number(let key, let path): members[key] = .number(self[keyPath: path])
            case .integer(let key, let path): members[key] = .number(Double(self[keyPath: path]))
            case .text(let key, let path): members[key] = .string(self[keyPath: path])
            case .texts(let key, let path): members[key] = .array(self[keyPath: path].map(JSONValue.string))
            case .integers(let key, let path):
                members[key] = .array(self[keyPath: path].map { .number(Double($0)) })
            }
        }
        return .object(members)
    }

    /// Reads the object; every member is required.
    init(thresholds fields: CheckFields) throws(CheckWireError) {
        self.init()
        for member in Self.wireMembers {
            switch member {
            case .number(let key, let path): self[keyPath: path] = try fields.double(key)
            case .integer(let key, let path): self[keyPath: path] = try fields.int(key)
            case .text(let key, let path): self[keyPath: path] = try fields.string(key)
            case .texts(let key, let path): self[keyPath: path] = try fields.strings(key)
            case .integers(let key, let path): self[keyPath: path] = try fields.ints(key)
            }
        }
    }
}

extension HealthThresholds: WireThresholds {
    static var wireMembers: [ThresholdMember<Self>] {
        [.number("timeout_seconds", \.timeoutSeconds), .text("expected_status", \.expectedStatus)]
    }
}

extension ResourceAllocationThresholds: WireThresholds {
    static var wireMembers: [ThresholdMember<Self>] {
        [.number("timeout_seconds", \.timeoutSeconds), .number("max_cpu_percent", \.maxCPUPercent)]
    }
}

extension ContainerWarmingThresholds: WireThresholds {
    static var wireMembers: [ThresholdMember<Self>] { [.number("timeout_seconds", \.timeoutSeconds)] }
}

extension DataProcessingThresholds: WireThresholds {
    static var wireMembers: [ThresholdMember<Self>] {
        [
            .number("timeout_seconds", \.timeoutSeconds), .number("max_seconds", \.maxSeconds),
            .number("min_compression_ratio", \.minCompressionRatio), .text("size", \.size),
            .text("format", \.format),
        ]
    }
}

extension ParallelProcessingThresholds: WireThresholds {
    static var wireMembers: [ThresholdMember<Self>] {
        [.integer("requests", \.requests), .number("timeout_seconds", \.timeoutSeconds)]
    }
}

extension PerformanceBenchmarkThresholds: WireThresholds {
    static var wireMembers: [ThresholdMember<Self>] {
        [
            .integer("iterations", \.iterations), .integer("trials", \.trials), .text("country", \.country),
            .number("expected_duration_minutes", \.expectedDurationMinutes), .number("max_minutes", \.maxMinutes),
            .number("timeout_seconds", \.timeoutSeconds),
        ]
    }
}

extension ErrorHandlingThresholds: WireThresholds {
    static var wireMembers: [ThresholdMember<Self>] {
        [
            .number("timeout_seconds", \.timeoutSeconds), .number("health_timeout_seconds", \.healthTimeoutSeconds),
            .integers("accepted_statuses", \.acceptedStatuses),
        ]
    }
}

extension CostEfficiencyThresholds: WireThresholds {
    static var wireMembers: [ThresholdMember<Self>] {
        [
            .number("timeout_seconds", \.timeoutSeconds), .number("min_cpu_percent", \.minCPUPercent),
            .number("max_cpu_percent", \.maxCPUPercent), .number("min_memory_percent", \.minMemoryPercent),
            .number("max_memory_percent", \.maxMemoryPercent),
        ]
    }
}

extension LoadHandlingThresholds: WireThresholds {
    static var wireMembers: [ThresholdMember<Self>] {
        [
            .integer("requests", \.requests), .number("timeout_seconds", \.timeoutSeconds),
            .number("min_success_rate", \.minSuccessRate),
        ]
    }
}

extension RollbackThresholds: WireThresholds {
    static var wireMembers: [ThresholdMember<Self>] {
        [.number("timeout_seconds", \.timeoutSeconds), .texts("arguments", \.arguments)]
    }
}
