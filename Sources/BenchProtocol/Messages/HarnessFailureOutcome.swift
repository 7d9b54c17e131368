import BenchJSON
/// The `outcome` of a `result` for an attempt the agent could not run at all because of its own setup (its trainer
/// cannot be reached): `{"harness_failure": "<why>"}`. Not a measurement: the coordinator closes the attempt as a
/// harness failure and dispatches the job again (docs/protocol.md, "Task payloads"). The agent writes it with
/// ``make(reason:)``, the coordinator reads it with ``reason(of:)``; nothing else touches the member.
public enum HarnessFailureOutcome {
    /// The outcome member that marks a harness failure.
    static let member = "harness_failure"

    /// The outcome of an attempt that could not run, with the reason.
    public static func make(reason: String) -> JSONValue {
        .object([member: .string(reason)])
    }

    /// The reason when `outcome` is a harness failure, nil for anything else (a measurement, a check outcome).
    public static func reason(of outcome: JSONValue) -> String? {
        guard case .object(let members) = outcome, case .string(let reason)? = members[member] else { return nil }
        return reason
    }
}
