/// The `checks` section of a plan: the suite's settings, which checks are off, and where a collection runs it.
///
/// In a plan file every key sits directly under `checks` (see docs/checks.md):
///
///     checks:
///       run: after                      # none | before | after | both
///       disabled: [cost_efficiency]     # short names or seed test names
///       required_warm_components: [container_ready, datasets, solver]
///       rollback_script: deploy/rollback.sh
///       data_processing: {max_seconds: 5}
///
/// Encoded the same way (the settings' keys flattened next to `run` and `disabled`), so a plan's canonical JSON
/// reads back through `PlanLoader`.
public struct CheckPlan: Codable, Sendable, Equatable {
    /// Where a collection runs the suite; `mmmbench test-suite` ignores it.
    public var run: CheckSuitePlacement
    /// Checks not run (in the suite's order, no duplicates).
    public var disabled: [CheckKind]
    /// Thresholds, request sizes, warm components and the rollback script.
    public var settings: CheckSettings

    /// Every default: the suite not run by collections, every check enabled, the seed's thresholds.
    public init(
        run: CheckSuitePlacement = .none, disabled: [CheckKind] = [], settings: CheckSettings = CheckSettings()
    ) {
        self.run = run
        self.disabled = disabled
        self.settings = settings
    }

    /// The checks that run, in the seed's order.
    public var enabledChecks: [CheckKind] {
        CheckKind.allCases.filter { !disabled.contains($0) }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case run, disabled
    }

    /// Every key allowed under `checks` in a plan.
    static var planKeys: [String] {
        CodingKeys.allCases.map(\.rawValue) + CheckSettings.CodingKeys.allCases.map(\.rawValue)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        run = try container.decodeIfPresent(CheckSuitePlacement.self, forKey: .run) ?? .none
        disabled = try container.decodeIfPresent([CheckKind].self, forKey: .disabled) ?? []
        settings = try CheckSettings(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(run, forKey: .run)
        try container.encode(disabled, forKey: .disabled)
        try settings.encode(to: encoder)
    }
}

extension Plan {
    /// The plan's `checks` section, or every default when the plan has none.
    public var checkPlan: CheckPlan { checks ?? CheckPlan() }
}
