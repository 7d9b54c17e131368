/// When a suite run happened relative to a collection's baseline matrix.
public enum CheckPhase: String, Codable, Sendable, CaseIterable {
    /// Run by the coordinator before the matrix (plan `checks.run: before` or `both`).
    case before
    /// Run by the coordinator after the matrix (plan `checks.run: after` or `both`).
    case after
    /// Run on its own, e.g. by `mmmbench test-suite`.
    case standalone
}

/// Where a collection runs the suite relative to its baseline matrix (plan `checks.run`).
public enum CheckSuitePlacement: String, Codable, Sendable, CaseIterable {
    /// The collection does not run the suite (the default).
    case none
    /// Before the first job of the matrix.
    case before
    /// After the last job of the matrix.
    case after
    /// Before and after the matrix.
    case both

    /// The phases a collection with this placement runs, in order.
    public var phases: [CheckPhase] {
        switch self {
        case .none: []
        case .before: [.before]
        case .after: [.after]
        case .both: [.before, .after]
        }
    }
}
