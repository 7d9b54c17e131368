/// One measured value of a check beside the threshold it is judged against, e.g. `checks.cpu_usage` `3.1` `< 90`.
///
/// On the wire it is read and written by BenchProtocol's `CheckOutcome+Wire.swift`; `Codable` (same keys) is for
/// ``CheckOutcome``'s stored and reported JSON.
public struct CheckMeasurement: Codable, Sendable, Equatable {
    /// What was measured, e.g. `checks.cpu_usage`, `http_status`, `warm_status.solver`.
    public var name: String
    /// The value as reported or measured, for people (`3.1`, `healthy`, `false`); nil when the trainer did not
    /// report it.
    public var measured: String?
    /// The numeric value, when there is one, for programs.
    public var value: Double?
    /// The pass criterion, e.g. `< 90`, `= healthy`, `400 or 422`; empty for informational figures.
    public var threshold: String
    /// Whether the criterion held; nil for informational figures that have no threshold.
    public var met: Bool?
    /// Unit of `measured` and `threshold` (`%`, `s`, `min`), empty when none.
    public var unit: String

    public init(
        name: String, measured: String?, value: Double? = nil, threshold: String, met: Bool?, unit: String = ""
    ) {
        self.name = name
        self.measured = measured
        self.value = value
        self.threshold = threshold
        self.met = met
        self.unit = unit
    }

    /// A numeric measurement formatted with `places` decimals.
    public static func number(
        _ name: String, _ value: Double?, places: Int = 2, unit: String = "", threshold: String, met: Bool?
    ) -> CheckMeasurement {
        CheckMeasurement(
            name: name, measured: value.map { PythonRounding.format($0, places: places) }, value: value,
            threshold: threshold, met: met, unit: unit)
    }

    /// A figure reported for information only, judged against nothing.
    public static func info(_ name: String, _ value: Double?, places: Int = 2, unit: String = "") -> CheckMeasurement {
        number(name, value, places: places, unit: unit, threshold: "", met: nil)
    }

    /// `measured` with its unit, for reports (`3.1 %`, `not reported`).
    public var measuredText: String {
        measured.map(withUnit) ?? "not reported"
    }

    /// `threshold` with its unit, for reports (`< 90.0 %`, `400 or 422`); `-` when there is none.
    public var thresholdText: String {
        threshold.isEmpty ? "-" : withUnit(threshold)
    }

    /// The unit is appended only to text that ends in a number (`0.2 %`, not `reported %`).
    private func withUnit(_ text: String) -> String {
        guard !unit.isEmpty, let last = text.last, last.isNumber else { return text }
        return "\(text) \(unit)"
    }

    enum CodingKeys: String, CodingKey {
        case name, measured, value, threshold, met, unit
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(measured, forKey: .measured)
        try container.encode(value, forKey: .value)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(met, forKey: .met)
        try container.encode(unit, forKey: .unit)
    }
}
