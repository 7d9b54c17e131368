import BenchCore
import BenchJSON

/// The `success_rule` member of a `train` assignment payload (docs/protocol.md, "Task payloads"): the one place
/// where it is written (coordinator) and read (agent).
extension SuccessRule {
    /// The name of the `train` assignment payload member that carries the rule to agents (docs/protocol.md);
    /// absent means ``default``.
    public static let payloadMember = "success_rule"

    /// Adds the rule to a payload's members; the default rule is left out, as agents read its absence as it.
    public func addPayloadMember(to members: inout [String: JSONValue]) {
        if self != .default { members[Self.payloadMember] = .string(rawValue) }
    }

    /// Reads the rule of a payload: the default when the member is absent or null; nil when it names no rule.
    public init?(payload: JSONValue) {
        switch payload[Self.payloadMember] {
        case nil, .null?: self = .default
        case .string(let name)?:
            guard let rule = SuccessRule(rawValue: name) else { return nil }
            self = rule
        default: return nil
        }
    }
}
