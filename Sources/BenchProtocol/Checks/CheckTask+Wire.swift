import BenchCore
import BenchJSON

/// The `payload` of an `assign` of kind `check` (docs/protocol.md, "Task payloads"): the one writer (the
/// coordinator's) and the one reader (the agent's) of its members:
///
///     {"suite_run_id": "s-1a2b3c4d", "phase": "after", "check": "load_handling",
///      "share": {"index": 0, "count": 2}, "settings": {...every CheckSettings key...}}
///
/// `share` is written only for a split concurrent check; absent or `null` reads as the whole check.
extension CheckTask {
    /// The payload as JSON.
    public var wireValue: JSONValue {
        var members: [String: JSONValue] = [
            "suite_run_id": .string(suiteRunID),
            "phase": .string(phase.rawValue),
            "check": .string(check.rawValue),
            "settings": settings.wireValue,
        ]
        if let share { members["share"] = share.wireValue }
        return .object(members)
    }

    /// Reads a payload; throws ``CheckWireError`` naming the member that is missing or malformed.
    public init(wireValue value: JSONValue) throws(CheckWireError) {
        let fields = try CheckFields(value, document: .payload)
        self.init(
            suiteRunID: try fields.string("suite_run_id"),
            phase: try fields.enumeration("phase", as: CheckPhase.self),
            check: try fields.enumeration("check", as: CheckKind.self),
            share: try fields.optionalObject("share").map { share throws(CheckWireError) in
                try CheckShare(wireFields: share)
            },
            settings: try CheckSettings(wireFields: fields.object("settings")))
    }
}

extension CheckShare {
    /// `{"index": k, "count": n}`.
    var wireValue: JSONValue {
        .object(["index": .number(Double(index)), "count": .number(Double(count))])
    }

    /// Reads a share; `count >= 1` and `0 <= index < count`.
    init(wireFields fields: CheckFields) throws(CheckWireError) {
        let index = try fields.int("index")
        let count = try fields.int("count")
        do {
            try self.init(index: index, count: count)
        } catch {
            throw fields.invalid("index", error.description)
        }
    }
}
