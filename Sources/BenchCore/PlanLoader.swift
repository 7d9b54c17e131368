import Foundation
import Yams

/// Reads a plan from YAML or JSON text and validates it.
///
/// Every field is optional (seed defaults fill the gaps). Unknown keys are rejected with the key named, values of the
/// wrong type or range are rejected with the field path (`jobs[2].iterations: must be > 0`), so a typo never silently
/// falls back to a default.
public enum PlanLoader {
    /// Loads and validates a plan file.
    public static func load(fileAt path: String) throws -> Plan {
        try load(text: PlanFile.read(path), sourceName: path)
    }

    /// Loads and validates plan text (YAML 1.1 or JSON; JSON is parsed as YAML).
    public static func load(text: String, sourceName: String = "plan") throws -> Plan {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw PlanError(path: "", reason: "\(sourceName) is not valid YAML or JSON: \(error)")
        }
        guard let node else { return Plan() }
        if node.tagName == .null { return Plan() }
        let plan = try PlanNodeReader.plan(from: node)
        try PlanValidator.validate(plan)
        return plan
    }
}

/// Walks a composed YAML node tree into a `Plan`, naming the path of every problem.
enum PlanNodeReader {
    static func plan(from node: Node) throws -> Plan {
        var plan = Plan()
        let fields = try mapping(node, path: "", allowed: Plan.CodingKeys.allCases.map(\.rawValue))
        for (key, value) in fields {
            switch Plan.CodingKeys(rawValue: key) {
            case .days: plan.days = try int(value, path: key)
            case .jobs: plan.jobs = try jobs(value, path: key)
            case .payload: plan.payload = try payload(value, path: key)
            case .timeoutSeconds: plan.timeoutSeconds = try double(value, path: key)
            case .jobGapSeconds: plan.jobGapSeconds = try double(value, path: key)
            case .dayGapSeconds: plan.dayGapSeconds = try double(value, path: key)
            case .pricing: plan.pricing = try pricing(value, path: key)
            case .maxAttempts: plan.maxAttempts = try int(value, path: key)
            case .maxInFlight: plan.maxInFlight = try int(value, path: key)
            case .checks: plan.checks = try checks(value, path: key)
            case .validation: plan.validation = try validation(value, path: key)
            case .targets: plan.targets = try targets(value, path: key)
            case .successRule: plan.successRule = try successRule(value, path: key)
            case nil: break  // `mapping` already rejected unknown keys
            }
        }
        return plan
    }

    static func jobs(_ node: Node, path: String) throws -> [JobConfig] {
        guard let items = node.sequence else {
            throw PlanError(path: path, reason: "expected a list of job configs, got \(kind(of: node))")
        }
        return try items.enumerated().map { index, item in
            let itemPath = "\(path)[\(index)]"
            let keys = ["type", "iterations", "trials", "countries"]
            let fields = try mapping(item, path: itemPath, allowed: keys + ["labels"])
            for required in keys where fields.first(where: { $0.key == required }) == nil {
                throw PlanError(path: "\(itemPath).\(required)", reason: "is required")
            }
            var config = JobConfig(type: "", iterations: 0, trials: 0, countries: [])
            for (key, value) in fields {
                let fieldPath = "\(itemPath).\(key)"
                switch key {
                case "type": config.type = try string(value, path: fieldPath)
                case "iterations": config.iterations = try int(value, path: fieldPath)
                case "trials": config.trials = try int(value, path: fieldPath)
                case "labels": config.labels = try labels(value, path: fieldPath)
                default: config.countries = try strings(value, path: fieldPath)
                }
            }
            return config
        }
    }

    /// A mapping of label names to values; every value is read as a string (`gpu: true` is `"true"`).
    static func labels(_ node: Node, path: String) throws -> [String: String] {
        guard let pairs = node.mapping else {
            throw PlanError(path: path, reason: "expected a mapping of label names to values, got \(kind(of: node))")
        }
        var labels: [String: String] = [:]
        for (keyNode, value) in pairs {
            guard let key = keyNode.scalar?.string else {
                throw PlanError(path: path, reason: "label names must be plain strings")
            }
            guard labels[key] == nil else { throw PlanError(path: "\(path).\(key)", reason: "duplicate label") }
            labels[key] = try string(value, path: "\(path).\(key)")
        }
        return labels
    }

    static func payload(_ node: Node, path: String) throws -> PayloadTemplate {
        var payload = PayloadTemplate()
        let fields = try mapping(node, path: path, allowed: PayloadTemplate.CodingKeys.allCases.map(\.rawValue))
        for (key, value) in fields {
            let fieldPath = "\(path).\(key)"
            switch PayloadTemplate.CodingKeys(rawValue: key) {
            case .revision: payload.revision = try string(value, path: fieldPath)
            case .baselineTest: payload.baselineTest = try bool(value, path: fieldPath)
            case .paidMediaSpends: payload.paidMediaSpends = try strings(value, path: fieldPath)
            case .paidMediaVars: payload.paidMediaVars = try strings(value, path: fieldPath)
            case .contextVars: payload.contextVars = try strings(value, path: fieldPath)
            case .factorVars: payload.factorVars = try strings(value, path: fieldPath)
            case .organicVars: payload.organicVars = try strings(value, path: fieldPath)
            case nil: break
            }
        }
        return payload
    }

    static func pricing(_ node: Node, path: String) throws -> Pricing {
        var pricing = Pricing()
        let fields = try mapping(node, path: path, allowed: Pricing.CodingKeys.allCases.map(\.rawValue))
        for (key, value) in fields {
            let fieldPath = "\(path).\(key)"
            switch Pricing.CodingKeys(rawValue: key) {
            case .baseVCPU: pricing.baseVCPU = try double(value, path: fieldPath)
            case .baseMemoryGB: pricing.baseMemoryGB = try double(value, path: fieldPath)
            case .vcpuHourUSD: pricing.vcpuHourUSD = try double(value, path: fieldPath)
            case .gbHourUSD: pricing.gbHourUSD = try double(value, path: fieldPath)
            case nil: break
            }
        }
        return pricing
    }

    // MARK: - Scalars

    static func mapping(_ node: Node, path: String, allowed: [String]) throws -> [(key: String, value: Node)] {
        guard let mapping = node.mapping else {
            throw PlanError(path: path, reason: "expected a mapping, got \(kind(of: node))")
        }
        var seen = Set<String>()
        var result: [(key: String, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw PlanError(path: path, reason: "keys must be plain strings")
            }
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            guard allowed.contains(key) else {
                throw PlanError(path: keyPath, reason: "unknown key '\(key)' (allowed: \(allowed.joined(separator: ", ")))")
            }
            guard seen.insert(key).inserted else {
                throw PlanError(path: keyPath, reason: "duplicate key")
            }
            result.append((key, value))
        }
        return result
    }

    static func int(_ node: Node, path: String) throws -> Int {
        guard let scalar = node.scalar, node.tagName == .int else {
            throw PlanError(path: path, reason: "expected an integer, got \(kind(of: node))")
        }
        guard let value = Int(scalar.string) ?? node.int else {
            throw PlanError(path: path,
                            reason: "out of range (\(scalar.string) does not fit in a 64-bit integer)")
        }
        return value
    }

    static func double(_ node: Node, path: String) throws -> Double {
        guard let scalar = node.scalar, node.tagName == .int || node.tagName == .float,
              let value = Double(scalar.string) ?? node.float
        else {
            throw PlanError(path: path, reason: "expected a number, got \(kind(of: node))")
        }
        guard value.isFinite else {
            throw PlanError(path: path, reason: "must be a finite number, got \(scalar.string)")
        }
        return value
    }

    static func bool(_ node: Node, path: String) throws -> Bool {
        guard node.scalar != nil, node.tagName == .bool, let value = node.bool else {
            throw PlanError(path: path, reason: "expected true or false, got \(kind(of: node))")
        }
        return value
    }

    /// Any scalar that is not null is taken as a string, so `no` (Norway) stays `"no"`, not `false`.
    static func string(_ node: Node, path: String) throws -> String {
        guard let scalar = node.scalar, !isNull(node, scalar) else {
            throw PlanError(path: path, reason: "expected a string, got \(kind(of: node))")
        }
        return scalar.string
    }

    /// Whether a scalar reads as YAML's null. An untagged plain scalar is null exactly when it is spelled as one of
    /// `nullSpellings`: those are what Yams's null rule matches, and none of the rules it tries first (bool, int,
    /// float, merge) matches them. Answering that from the text skips Yams's tag resolution, which tries seven
    /// regular expressions per scalar (a plan of 20,000 countries spent about 80 ms of its load in them). A tagged
    /// or quoted scalar goes through Yams as before.
    static func isNull(_ node: Node, _ scalar: Node.Scalar) -> Bool {
        if scalar.style == .plain && scalar.tag.rawValue == Tag.Name.implicit.rawValue {
            return nullSpellings.contains(scalar.string)
        }
        return node.tagName == .null
    }

    /// The plain spellings of null in YAML 1.1/1.2's core schema (Yams's `Resolver.Rule.null`), the empty one included.
    static let nullSpellings: Set<String> = ["~", "null", "Null", "NULL", ""]

    static func strings(_ node: Node, path: String) throws -> [String] {
        guard let items = node.sequence else {
            throw PlanError(path: path, reason: "expected a list of strings, got \(kind(of: node))")
        }
        return try items.enumerated().map { try string($1, path: "\(path)[\($0)]") }
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch node.tagName {
            case .null: return "null"
            case .bool: return "a boolean (\(scalar.string))"
            case .int: return "an integer (\(scalar.string))"
            case .float: return "a number (\(scalar.string))"
            default: return "a string (\"\(scalar.string)\")"
            }
        }
    }
}

extension Node {
    /// The resolved tag name (Yams keeps `Tag.name` internal; its raw value is public).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
